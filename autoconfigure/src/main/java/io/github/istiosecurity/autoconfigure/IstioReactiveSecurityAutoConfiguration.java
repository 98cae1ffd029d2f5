package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.web.FirewallCharacters;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.reactive.IstioIssuerReactiveAuthenticationManagerResolver;
import io.github.istiosecurity.internal.web.reactive.IstioServerAccessDeniedHandler;
import io.github.istiosecurity.internal.web.reactive.IstioServerExchangeRejectedHandler;
import io.github.istiosecurity.internal.web.reactive.IstioServerWebExchangeFirewall;
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
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

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
		 * A stateless chain for APIs, shaped like a sidecar: no session, no CSRF token,
		 * no login page, no HTTP basic, no anonymous principal and no added response
		 * headers; the policies decide.
		 */
		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE - 10)
		SecurityWebFilterChain istioSecurityWebFilterChain(ServerHttpSecurity http,
				IstioServerHttpSecurityConfigurer istio) {
			http.csrf((csrf) -> csrf.disable())
				.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
				.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
				.formLogin((form) -> form.disable())
				.httpBasic((basic) -> basic.disable())
				.logout((logout) -> logout.disable())
				.anonymous((anonymous) -> anonymous.disable())
				.headers((headers) -> headers.disable());
			istio.configure(http);
			return http.build();
		}

	}

}
