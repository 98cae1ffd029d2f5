package io.github.istiosecurity.autoconfigure;

import java.util.Map;

import io.github.istiosecurity.check.PolicyCheck;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;

/**
 * The {@code istio} actuator endpoint ({@link IstioEndpoint}) and its {@code check}
 * route, when Spring Boot's actuator is on the class path and the endpoint is exposed
 * ({@code management.endpoints.web.exposure.include=istio}), like any actuator endpoint.
 * The route lives on the application's server under the actuator base path; with a
 * separate management port it stays on the application's port.
 */
@AutoConfiguration(after = IstioSecurityAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ PolicyRuntime.class, PolicyCheck.class })
@ConditionalOnAvailableEndpoint(IstioEndpoint.class)
public final class IstioEndpointAutoConfiguration {

	/** Where the check is served, below the actuator base path. */
	static final String CHECK_PATH = "/istio/check";

	@Bean
	@ConditionalOnMissingBean
	IstioEndpoint istioEndpoint(PolicyRuntime runtime, JwksKeySources keySources, Workload workload,
			PolicyCompiler compiler, IstioSecurityProperties properties, Environment environment) {
		return new IstioEndpoint(runtime, keySources, workload, compiler.mesh(), properties.getPathNormalization(),
				environment);
	}

	private static String checkPath(Environment environment) {
		String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CHECK_PATH;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(org.springframework.web.servlet.function.RouterFunction.class)
	static final class ServletCheckRoute {

		@Bean
		org.springframework.web.servlet.function.RouterFunction<org.springframework.web.servlet.function.ServerResponse> istioCheckRoute(
				PolicyCheck check, Environment environment) {
			IstioCheckHandler handler = new IstioCheckHandler(check, environment);
			return org.springframework.web.servlet.function.RouterFunctions.route()
				.POST(checkPath(environment), (request) -> {
					IstioCheckHandler.Reply reply = handler.handle(body(request));
					return org.springframework.web.servlet.function.ServerResponse.status(reply.status())
						.contentType(MediaType.APPLICATION_JSON)
						.body(reply.body());
				})
				.build();
		}

		private static Map<?, ?> body(org.springframework.web.servlet.function.ServerRequest request) {
			try {
				return request.body(Map.class);
			}
			catch (Exception ex) {
				throw new org.springframework.web.server.ResponseStatusException(
						org.springframework.http.HttpStatus.BAD_REQUEST, "the body is not a JSON object");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(org.springframework.web.reactive.function.server.RouterFunction.class)
	static final class ReactiveCheckRoute {

		@Bean
		org.springframework.web.reactive.function.server.RouterFunction<org.springframework.web.reactive.function.server.ServerResponse> istioCheckRoute(
				PolicyCheck check, Environment environment) {
			IstioCheckHandler handler = new IstioCheckHandler(check, environment);
			return org.springframework.web.reactive.function.server.RouterFunctions.route()
				.POST(checkPath(environment), (request) -> request.bodyToMono(Map.class)
					.defaultIfEmpty(Map.of())
					// an extension authorizer of a CUSTOM rule may block: never on the
					// event loop
					.publishOn(Schedulers.boundedElastic())
					.map(handler::handle)
					.flatMap((reply) -> org.springframework.web.reactive.function.server.ServerResponse
						.status(reply.status())
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(reply.body())))
				.build();
		}

	}

}
