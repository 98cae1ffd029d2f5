package io.github.istiosecurity.autoconfigure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.check.PolicyCheck;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.authz.explain.PolicyExplainer;
import io.github.istiosecurity.internal.extauthz.ExtensionProviders;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.JwtSettings;
import io.github.istiosecurity.internal.jwt.KeyFetchListener;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.internal.load.LoaderSettings;
import io.github.istiosecurity.internal.load.PolicyLoader;
import io.github.istiosecurity.internal.runtime.PolicyLint;
import io.github.istiosecurity.internal.runtime.PolicyReloader;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.runtime.PolicySource;
import io.github.istiosecurity.internal.runtime.ResourcePolicySource;
import io.github.istiosecurity.internal.runtime.ServerMtls;
import io.github.istiosecurity.internal.web.InboundObserver;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.PeerIdentitySource;
import io.github.istiosecurity.internal.web.RemoteAddresses;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.util.ClassUtils;

/**
 * The stack-independent part: loads the policies of
 * {@code istio.security.policy-locations} (and of any other {@link PolicySource} bean,
 * such as the Kubernetes source), compiles them for this workload, keeps JWT key sets and
 * verified tokens, and reloads changes. Creating the beans reads nothing: the first load
 * (and the Kubernetes source's first list, and the start of key-set fetches) runs once
 * every singleton is created, before the web server starts
 * ({@link PolicyRuntime#afterSingletonsInstantiated()}). A policy that cannot be loaded
 * at start-up stops the application with its file, line and field. The workload is a
 * bean: {@code istio.security.workload.*} unless another auto-configuration (Kubernetes)
 * resolves it from the cluster. Loads that leave the workload unprotected are logged, or
 * fatal with {@code istio.security.require-policies}; unknown {@code istio.security.*}
 * keys are named.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "istio.security.enabled", matchIfMissing = true)
@ConditionalOnClass({ Jwt.class, JwtAuthenticationToken.class })
@EnableConfigurationProperties(IstioSecurityProperties.class)
public final class IstioSecurityAutoConfiguration {

	private static final Log logger = LogFactory.getLog(IstioSecurityAutoConfiguration.class);

	private static final String WEB_SERVER_CONTEXT = "org.springframework.boot.web.server.context.WebServerApplicationContext";

	@Bean
	static UnknownPropertyCheck istioUnknownPropertyCheck() {
		return new UnknownPropertyCheck();
	}

	@Bean
	@ConditionalOnMissingBean
	Workload istioWorkload(IstioSecurityProperties properties) {
		return new Workload(properties.getWorkload().getNamespace(), properties.getWorkload().getLabels());
	}

	@Bean
	@ConditionalOnMissingBean
	PolicyLoader istioPolicyLoader(Workload workload) {
		return new PolicyLoader(LoaderSettings.withDefaultNamespace(workload.namespace()));
	}

	@Bean
	@ConditionalOnMissingBean
	ResourcePolicySource istioResourcePolicySource(IstioSecurityProperties properties, PolicyLoader loader,
			ResourcePatternResolver resolver) {
		// the default location may stay empty (policies from Kubernetes); one the
		// application chose may not
		boolean chosen = !properties.getPolicyLocations().equals(IstioSecurityProperties.DEFAULT_POLICY_LOCATIONS);
		return new ResourcePolicySource(properties.getPolicyLocations(), loader, resolver, chosen);
	}

	/**
	 * The compiler, with the extension authorizers CUSTOM policies reach by provider
	 * name: the {@link ExtensionAuthorizer} beans (in-process) and the configured
	 * extension providers. A name given twice, by two beans or by a bean and a configured
	 * provider, is an error: a policy's provider must mean one thing.
	 */
	@Bean
	@ConditionalOnMissingBean
	PolicyCompiler istioPolicyCompiler(IstioSecurityProperties properties, Workload workload,
			ObjectProvider<ExtensionAuthorizer> authorizers, ObjectProvider<ExtensionProviders> providers) {
		Map<String, ExtensionAuthorizer> byName = new LinkedHashMap<>();
		authorizers.orderedStream().forEach((authorizer) -> {
			ExtensionAuthorizer previous = byName.putIfAbsent(authorizer.name(), authorizer);
			if (previous != null) {
				throw new IllegalStateException("Two ExtensionAuthorizer beans are named '" + authorizer.name() + "': "
						+ previous.getClass().getName() + " and " + authorizer.getClass().getName());
			}
		});
		ExtensionProviders configured = providers.getIfAvailable();
		if (configured != null) {
			configured.authorizers().forEach((name, authorizer) -> {
				ExtensionAuthorizer bean = byName.putIfAbsent(name, authorizer);
				if (bean != null) {
					throw new IllegalStateException("The extension provider '" + name + "' of "
							+ "istio.security.extension-providers has the name of the ExtensionAuthorizer bean "
							+ bean.getClass().getName() + "; rename one of them");
				}
			});
		}
		MeshSettings mesh = new MeshSettings(properties.getRootNamespace(), properties.getTrustDomain(),
				properties.getTrustDomainAliases());
		return new PolicyCompiler(workload, mesh, byName);
	}

	@Bean
	@ConditionalOnMissingBean
	JwtSettings istioJwtSettings(IstioSecurityProperties properties) {
		IstioSecurityProperties.Jwt jwt = properties.getJwt();
		return new JwtSettings(jwt.getClockSkew(), jwt.getJwksRefreshInterval(), jwt.getJwksFetchTimeout(),
				Clock.systemUTC());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	JwksKeySources istioJwksKeySources(JwtSettings settings, ObjectProvider<KeyFetchListener> fetchListener) {
		JwksKeySources keySources = new JwksKeySources(settings);
		fetchListener.ifAvailable(keySources::setFetchListener);
		return keySources;
	}

	@Bean
	@ConditionalOnMissingBean
	PolicyRuntime istioPolicyRuntime(ObjectProvider<PolicySource> sources, PolicyCompiler compiler,
			JwksKeySources keySources, VerifiedTokenCache tokenCache, JwtSettings settings,
			IstioSecurityProperties properties, PeerIdentitySource peerIdentitySource, ApplicationContext context,
			Environment environment) {
		ServerMtls server = serverMtls(context, environment, peerIdentitySource);
		// the lint asks whether any request can carry a peer identity: a client
		// certificate or a forwarded one
		PolicyLint lint = new PolicyLint(new PathNormalizer(properties.getPathNormalization()),
				ClientCertificateAuthentication.isConfigured(environment)
						|| peerIdentitySource.readsForwardedClientCert());
		return new PolicyRuntime(sources.orderedStream().toList(), compiler, keySources, tokenCache, settings,
				properties.isRequirePolicies(), lint, server);
	}

	/**
	 * What the server of this application offers for mutual TLS; nothing to check against
	 * when the context starts no server of its own (a mock or non-web context).
	 */
	private static ServerMtls serverMtls(ApplicationContext context, Environment environment,
			PeerIdentitySource peerIdentitySource) {
		ClassLoader classLoader = IstioSecurityAutoConfiguration.class.getClassLoader();
		if (!ClassUtils.isPresent(WEB_SERVER_CONTEXT, classLoader)
				|| !ClassUtils.resolveClassName(WEB_SERVER_CONTEXT, classLoader).isInstance(context)) {
			return ServerMtls.UNKNOWN;
		}
		int port = environment.getProperty("server.port", Integer.class, 8080);
		return new ServerMtls(ClientCertificateAuthentication.isConfigured(environment),
				peerIdentitySource.readsForwardedClientCert(), Math.max(port, 0));
	}

	@Bean
	@ConditionalOnMissingBean
	PeerIdentitySource istioPeerIdentitySource(IstioSecurityProperties properties) {
		IstioSecurityProperties.ForwardedClientCert forwarded = properties.getForwardedClientCert();
		try {
			PeerIdentitySource source = new PeerIdentitySource(forwarded.isEnabled(), forwarded.getTrustedProxies());
			if (forwarded.isEnabled() && !source.readsForwardedClientCert()) {
				logger.warn("istio.security.forwarded-client-cert.enabled is true but no trusted proxy is configured "
						+ "(istio.security.forwarded-client-cert.trusted-proxies): the header is never read");
			}
			return source;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("istio.security.forwarded-client-cert.trusted-proxies: " + ex.getMessage(),
					ex);
		}
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "istio.security.reload.enabled", matchIfMissing = true)
	PolicyReloader istioPolicyReloader(PolicyRuntime runtime, IstioSecurityProperties properties) {
		return new PolicyReloader(runtime, properties.getReload().getInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	PathNormalizer istioPathNormalizer(IstioSecurityProperties properties) {
		return new PathNormalizer(properties.getPathNormalization());
	}

	@Bean
	@ConditionalOnMissingBean
	RemoteAddresses istioRemoteAddresses(IstioSecurityProperties properties) {
		return new RemoteAddresses(properties.getNumTrustedProxies());
	}

	@Bean
	@ConditionalOnMissingBean
	InboundPipeline istioInboundPipeline(PolicyRuntime runtime, PathNormalizer normalizer,
			RemoteAddresses remoteAddresses, PeerIdentitySource peerIdentitySource,
			ObjectProvider<InboundObserver> observer) {
		return new InboundPipeline(runtime, normalizer, remoteAddresses, peerIdentitySource,
				observer.getIfAvailable(() -> InboundObserver.NONE));
	}

	@Bean
	@ConditionalOnMissingBean
	PolicyCheck istioPolicyCheck(InboundPipeline pipeline, PolicyCompiler compiler) {
		return new PolicyCheck(pipeline, new PolicyExplainer(compiler));
	}

	/**
	 * Verified tokens in Caffeine, bounded by
	 * {@code istio.security.jwt.verified-token-cache-*}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Caffeine.class)
	static class CaffeineTokenCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean
		VerifiedTokenCache istioVerifiedTokenCache(IstioSecurityProperties properties, JwtSettings settings) {
			IstioSecurityProperties.Jwt jwt = properties.getJwt();
			return new VerifiedTokenCache(jwt.getVerifiedTokenCacheSize(),
					jwt.getVerifiedTokenCacheMaxMemory().toBytes(), settings);
		}

	}

	/**
	 * Without Caffeine the cache is off: a cache is an optimisation, and every token's
	 * signature is then verified, so decisions are the same. The starter brings Caffeine;
	 * an application that depends on the auto-configuration alone may leave it out.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("com.github.benmanes.caffeine.cache.Caffeine")
	static class NoTokenCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean
		VerifiedTokenCache istioVerifiedTokenCache() {
			logger.info("The verified-token cache is off: Caffeine (com.github.ben-manes.caffeine:caffeine) is not on "
					+ "the class path, so every token's signature is verified");
			return VerifiedTokenCache.disabled();
		}

	}

}
