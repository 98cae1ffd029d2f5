package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.web.FirewallCharacters;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.reactive.IstioEnforcementWebFilter;
import io.github.istiosecurity.internal.web.reactive.IstioIssuerReactiveAuthenticationManagerResolver;
import io.github.istiosecurity.internal.web.reactive.IstioServerAccessDeniedHandler;
import io.github.istiosecurity.internal.web.reactive.IstioServerExchangeRejectedHandler;
import io.github.istiosecurity.internal.web.reactive.IstioServerWebExchangeFirewall;
import io.github.istiosecurity.internal.web.reactive.OwnedChainProxyPostProcessor;
import io.github.istiosecurity.internal.web.reactive.OwnedSecurityWebFilterChain;
import io.github.istiosecurity.web.reactive.IstioReactiveAuthorizationManager;
import io.github.istiosecurity.web.reactive.IstioServerHttpSecurityConfigurer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * Enforces the policies in a WebFlux application's Spring Security filter chain, from the
 * same compiled policies and engine as the servlet stack. With no
 * {@link SecurityWebFilterChain} of the application's own, it installs one that decides
 * every request as Istio would; otherwise it backs off, and the
 * {@link IstioServerHttpSecurityConfigurer} bean adds the policies to the application's
 * chain.
 */
@AutoConfiguration(after = IstioSecurityAutoConfiguration.class, beforeName = {
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ SecurityWebFilterChain.class, ServerHttpSecurity.class, reactor.core.publisher.Mono.class })
@ConditionalOnBean(PolicyRuntime.class)
public final class IstioReactiveSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IstioReactiveAuthorizationManager istioReactiveAuthorizationManager(InboundPipeline pipeline) {
		return new IstioReactiveAuthorizationManager(pipeline);
	}

	@Bean
	@ConditionalOnMissingBean
	IstioServerAccessDeniedHandler istioServerAccessDeniedHandler() {
		return new IstioServerAccessDeniedHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	IstioServerHttpSecurityConfigurer istioServerHttpSecurityConfigurer(InboundPipeline pipeline,
			IstioReactiveAuthorizationManager authorizationManager, IstioServerAccessDeniedHandler deniedHandler) {
		return new IstioServerHttpSecurityConfigurer(pipeline, authorizationManager, deniedHandler);
	}

	@Bean
	@ConditionalOnMissingBean(ServerExchangeRejectedHandler.class)
	IstioServerExchangeRejectedHandler istioServerExchangeRejectedHandler(InboundPipeline pipeline) {
		return new IstioServerExchangeRejectedHandler(pipeline);
	}

	/**
	 * For an application's own chain: Spring Security's default WebFlux firewall with its
	 * header and parameter checks done without regular expressions: the same rules, at a
	 * fraction of the per-request cost (every header read goes through them). The chain
	 * the starter owns has {@link IstioServerWebExchangeFirewall} instead (declared
	 * first, in the nested configuration).
	 */
	@Bean
	@ConditionalOnMissingBean(ServerWebExchangeFirewall.class)
	StrictServerWebExchangeFirewall istioServerWebExchangeFirewall() {
		StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
		firewall.setAllowedHeaderNames(FirewallCharacters::absentOrAssignedAndNotControl);
		firewall.setAllowedHeaderValues(FirewallCharacters::absentOrHeaderValue);
		firewall.setAllowedParameterNames(FirewallCharacters::absentOrAssignedAndNotControl);
		// parameter values: the WebFlux firewall's default allows any, and so does this
		// one
		return firewall;
	}

	@Bean
	@ConditionalOnMissingBean
	IstioIssuerReactiveAuthenticationManagerResolver istioIssuerReactiveAuthenticationManagerResolver(
			PolicyRuntime runtime) {
		return new IstioIssuerReactiveAuthenticationManagerResolver(runtime);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(SecurityWebFilterChain.class)
	static class IstioSecurityWebFilterChainConfiguration {

		/**
		 * The path and method checks of Spring's firewall would refuse what Istio
		 * forwards; the inbound pipeline decides paths and methods as Envoy does, and
		 * keeps the header checks.
		 */
		@Bean
		@ConditionalOnMissingBean(ServerWebExchangeFirewall.class)
		IstioServerWebExchangeFirewall istioOwnedChainServerWebExchangeFirewall() {
			return new IstioServerWebExchangeFirewall();
		}

		/**
		 * A stateless chain for APIs, shaped like a sidecar: the policies decide, and
		 * nothing else runs. One filter does what the chain needs
		 * ({@link IstioEnforcementWebFilter#owningChain}), where a chain built with
		 * {@code ServerHttpSecurity} runs six filters and the authorization manager's
		 * matcher list, each with its own Reactor operators on every request. The
		 * application's {@code @AuthenticationPrincipal}, {@code Principal} and
		 * {@code ReactiveSecurityContextHolder} see the verified token as before.
		 */
		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE - 10)
		SecurityWebFilterChain istioSecurityWebFilterChain(InboundPipeline pipeline) {
			return new OwnedSecurityWebFilterChain(pipeline);
		}

		/**
		 * Spring Security's {@code WebFilterChainProxy} picks a chain per request with a
		 * dozen Reactor operators; when the starter's chain is the only one and nothing
		 * wraps it, the proxy is swapped for one that calls it directly.
		 */
		@Bean
		static OwnedChainProxyPostProcessor istioOwnedChainProxyPostProcessor() {
			return new OwnedChainProxyPostProcessor();
		}

		/**
		 * Spring Security's observations of its own filters and authorization managers (a
		 * Micrometer observation around every filter and decision) measure a chain the
		 * starter owns: its decisions are counted by {@code istio.security.*} meters
		 * instead. An application that wants them declares its own
		 * {@code SecurityObservationSettings}.
		 */
		@Bean
		@ConditionalOnMissingBean
		SecurityObservationSettings istioSecurityObservationSettings() {
			return SecurityObservationSettings.noObservations();
		}

	}

}
