package io.github.istiosecurity.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.istiosecurity.internal.extauthz.ExtensionProviders;
import io.github.istiosecurity.internal.extauthz.GrpcExtAuthzAuthorizer;
import io.github.istiosecurity.internal.extauthz.HttpExtAuthzAuthorizer;
import io.github.istiosecurity.internal.extauthz.ProviderSettings;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The extension providers of {@code istio.security.extension-providers} (Istio's
 * {@code meshConfig.extensionProviders}), for CUSTOM policies (§3.18): an
 * {@code envoy-ext-authz-http} provider needs Reactor Netty ({@code reactor-netty-http}),
 * an {@code envoy-ext-authz-grpc} provider grpc-java and Envoy's API
 * ({@code grpc-netty-shaded}, {@code io.envoyproxy.controlplane:api}). A provider whose
 * client is missing, or whose fields istiod would refuse, stops start-up with its place
 * in the configuration.
 */
@AutoConfiguration(before = IstioSecurityAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "istio.security.enabled", matchIfMissing = true)
@ConditionalOnClass(Jwt.class)
@EnableConfigurationProperties(IstioSecurityProperties.class)
public final class IstioExtensionProvidersAutoConfiguration {

	private static final String PREFIX = "istio.security.extension-providers";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ExtensionProviders istioExtensionProviders(IstioSecurityProperties properties,
			ObjectProvider<ExtensionProviders.Client> clients) {
		List<ProviderSettings> providers = new ArrayList<>();
		List<IstioSecurityProperties.ExtensionProvider> configured = properties.getExtensionProviders();
		for (int i = 0; i < configured.size(); i++) {
			providers.add(settings(PREFIX + "[" + i + "]", configured.get(i)));
		}
		if (properties.getMaxConcurrentCustomChecks() < 1) {
			throw new IllegalArgumentException("istio.security.max-concurrent-custom-checks must be at least 1");
		}
		return ExtensionProviders.create(providers, clients.orderedStream().toList(),
				properties.getMaxConcurrentCustomChecks());
	}

	private static ProviderSettings settings(String where, IstioSecurityProperties.ExtensionProvider provider) {
		ProviderSettings.Builder settings = ProviderSettings.builder(where).name(provider.getName());
		IstioSecurityProperties.EnvoyExtAuthzHttp http = provider.getEnvoyExtAuthzHttp();
		if (http != null) {
			settings.protocol(ProviderSettings.Protocol.HTTP);
			common(settings, http);
			// includeHeadersInCheck is deprecated: read only when
			// includeRequestHeadersInCheck is not set (istiod)
			settings.pathPrefix(http.getPathPrefix())
				.includeRequestHeaders(http.getIncludeRequestHeadersInCheck().isEmpty()
						? http.getIncludeHeadersInCheck() : http.getIncludeRequestHeadersInCheck())
				.additionalHeaders(http.getIncludeAdditionalHeadersInCheck())
				.upstreamOnAllow(http.getHeadersToUpstreamOnAllow())
				.downstreamOnDeny(http.getHeadersToDownstreamOnDeny())
				.downstreamOnAllow(http.getHeadersToDownstreamOnAllow());
		}
		IstioSecurityProperties.EnvoyExtAuthzGrpc grpc = provider.getEnvoyExtAuthzGrpc();
		if (grpc != null) {
			settings.protocol(ProviderSettings.Protocol.GRPC);
			common(settings, grpc);
		}
		return settings.build();
	}

	private static void common(ProviderSettings.Builder settings, IstioSecurityProperties.EnvoyExtAuthz provider) {
		settings.service(provider.getService())
			.port(provider.getPort())
			.timeout(provider.getTimeout())
			.failOpen(provider.isFailOpen())
			.statusOnError(provider.getStatusOnError());
		IstioSecurityProperties.RequestBody body = provider.getIncludeRequestBodyInCheck();
		if (body != null) {
			settings.body(new ProviderSettings.RequestBody(body.getMaxRequestBytes(), body.isAllowPartialMessage(),
					body.isPackAsBytes()));
		}
	}

	/**
	 * HTTP providers speak through Reactor Netty, present on WebFlux and added by hand on
	 * a servlet stack.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "reactor.netty.http.client.HttpClient")
	static class HttpProviderClient {

		@Bean
		ExtensionProviders.Client istioHttpExtAuthzClient() {
			return HttpExtAuthzAuthorizer.client();
		}

	}

	/** gRPC providers need grpc-java with a transport and Envoy's generated API. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "io.grpc.ManagedChannel", "io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc" })
	static class GrpcProviderClient {

		@Bean
		ExtensionProviders.Client istioGrpcExtAuthzClient() {
			return GrpcExtAuthzAuthorizer.client();
		}

	}

}
