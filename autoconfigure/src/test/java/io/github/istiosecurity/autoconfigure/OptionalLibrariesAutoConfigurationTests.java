package io.github.istiosecurity.autoconfigure;

import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.internal.kubernetes.KubernetesPolicySource;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each optional library the auto-configuration uses, left off the class path
 * ({@link FilteredClassLoader}): the application starts without what needs it and still
 * enforces its policies, or, when the policies could not be enforced at all, does not
 * start and names the artifact. Only conditions see a filtered class loader;
 * {@code MissingLibrariesIntegrationTests} starts real applications on a class path
 * without the jars.
 */
class OptionalLibrariesAutoConfigurationTests {

	private static final AutoConfigurations ISTIO = AutoConfigurations.of(IstioSecurityAutoConfiguration.class,
			IstioServletSecurityAutoConfiguration.class, IstioReactiveSecurityAutoConfiguration.class,
			IstioKubernetesAutoConfiguration.class, IstioSecurityMetricsAutoConfiguration.class,
			IstioSecurityHealthAutoConfiguration.class, IstioEndpointAutoConfiguration.class,
			IstioRequiredLibrariesAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(ISTIO)
		.withConfiguration(
				AutoConfigurations.of(SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.policy-locations=classpath:istio-test/allow-get.yaml",
				"istio.security.reload.enabled=false");

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(ISTIO)
		.withConfiguration(AutoConfigurations.of(ReactiveWebSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.policy-locations=classpath:istio-test/allow-get.yaml",
				"istio.security.reload.enabled=false");

	@Test
	void withEveryLibraryTheTokenCacheIsOnAndTheChainDecides() {
		this.servlet.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(VerifiedTokenCache.class).isEnabled()).isTrue();
			assertThat(status(context, "GET")).isEqualTo(200);
			assertThat(status(context, "POST")).isEqualTo(403);
		});
	}

	@Test
	void withoutCaffeineTheTokenCacheIsOffAndTheChainStillDecides() {
		this.servlet.withClassLoader(new FilteredClassLoader(Caffeine.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(VerifiedTokenCache.class).isEnabled()).isFalse();
			assertThat(context).getBeans(SecurityFilterChain.class).containsOnlyKeys("istioSecurityFilterChain");
			assertThat(status(context, "GET")).isEqualTo(200);
			assertThat(status(context, "POST")).isEqualTo(403);
		});
	}

	@Test
	void withoutSpringSecuritysResourceServerAServletApplicationDoesNotStart() {
		this.servlet.withClassLoader(new FilteredClassLoader(JwtAuthenticationToken.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(MissingLibrariesException.class)
				.hasMessage("The Istio policies cannot be enforced in this servlet web application: "
						+ JwtAuthenticationToken.class.getName()
						+ " (org.springframework.security:spring-security-oauth2-resource-server) not on the class "
						+ "path"));
	}

	@Test
	void withoutSpringSecuritysJwtSupportAReactiveApplicationDoesNotStart() {
		this.reactive.withClassLoader(new FilteredClassLoader(Jwt.class))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(MissingLibrariesException.class)
				.hasMessageContaining("in this reactive web application: " + Jwt.class.getName()
						+ " (org.springframework.security:spring-security-oauth2-jose)"));
	}

	@ParameterizedTest
	@EnumSource(RequiredLibraries.class)
	void everyRequiredLibraryIsNamedWhenMissing(RequiredLibraries stack) {
		for (RequiredLibraries.Library library : stack.libraries()) {
			Predicate<String> hidden = library.className()::equals;
			FilteredClassLoader without = new FilteredClassLoader(hidden);
			if (stack == RequiredLibraries.SERVLET) {
				this.servlet.withClassLoader(without).run((context) -> assertMissing(context, library));
			}
			else {
				this.reactive.withClassLoader(without).run((context) -> assertMissing(context, library));
			}
		}
	}

	private static void assertMissing(ApplicationContextAssertProvider<?> context, RequiredLibraries.Library library) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		assertThat(failure).isInstanceOf(MissingLibrariesException.class)
			.hasMessageContaining(library.className() + " (" + library.artifact() + ")");
		FailureAnalysis analysis = new MissingLibrariesFailureAnalyzer().analyze(failure);
		assertThat(analysis.getAction()).contains("io.github.istiosecurity:istio-security-spring-boot-starter")
			.contains("'istio.security.enabled=false'");
	}

	@Test
	void withTheStarterTurnedOffAnApplicationWithoutSpringSecurityStarts() {
		this.servlet.withClassLoader(new FilteredClassLoader(JwtAuthenticationToken.class, Jwt.class))
			.withPropertyValues("istio.security.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PolicyRuntime.class));
	}

	@Test
	void aNonWebApplicationWithoutSpringSecuritysResourceServerStartsWithoutThePolicies() {
		new ApplicationContextRunner().withConfiguration(ISTIO)
			.withClassLoader(new FilteredClassLoader(JwtAuthenticationToken.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PolicyRuntime.class));
	}

	@Test
	void withoutAFabric8ClientTheKubernetesSourceIsOffEvenWhenAskedFor() {
		this.servlet.withClassLoader(new FilteredClassLoader(KubernetesClient.class))
			.withPropertyValues("istio.security.kubernetes.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(KubernetesPolicySource.class);
				assertThat(status(context, "POST")).isEqualTo(403);
			});
	}

	@Test
	void withoutTheActuatorThereIsNoEndpointAndTheChainStillDecides() {
		this.servlet.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=istio")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(IstioEndpoint.class);
				assertThat(status(context, "POST")).isEqualTo(403);
			});
	}

	@Test
	void withoutCaffeineAReactiveApplicationHasItsChain() {
		this.reactive.withClassLoader(new FilteredClassLoader(Caffeine.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(VerifiedTokenCache.class).isEnabled()).isFalse();
			assertThat(context).getBeans(SecurityWebFilterChain.class).containsOnlyKeys("istioSecurityWebFilterChain");
		});
	}

	/**
	 * Sends a request, with the Host header every HTTP/1.1 client sends, through Spring
	 * Security's filter chain; 200 when it reached the application.
	 */
	private static int status(ApplicationContext context, String method) throws Exception {
		Filter chain = context.getBean("springSecurityFilterChain", Filter.class);
		MockHttpServletRequest request = new MockHttpServletRequest(method, "/anything");
		request.addHeader("Host", "localhost");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain application = new MockFilterChain();
		chain.doFilter(request, response, application);
		return (application.getRequest() != null) ? 200 : response.getStatus();
	}

}
