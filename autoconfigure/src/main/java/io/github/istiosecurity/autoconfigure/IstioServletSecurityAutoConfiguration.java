package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.web.FirewallCharacters;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.SpringSecurityObservations;
import io.github.istiosecurity.internal.web.servlet.IstioAccessDeniedHandler;
import io.github.istiosecurity.internal.web.servlet.IstioEnforcementFilterFactory;
import io.github.istiosecurity.internal.web.servlet.IstioHttpFirewall;
import io.github.istiosecurity.internal.web.servlet.IstioIssuerAuthenticationManagerResolver;
import io.github.istiosecurity.internal.web.servlet.IstioRequestRejectedHandler;
import io.github.istiosecurity.internal.web.servlet.IstioServletPathFilter;
import io.github.istiosecurity.internal.web.servlet.OwnedChainFilter;
import io.github.istiosecurity.web.servlet.IstioAuthorizationManager;
import io.github.istiosecurity.web.servlet.IstioSecurityConfigurer;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Enforces the policies in a servlet application's Spring Security filter chain. With no
 * {@link SecurityFilterChain} of the application's own, it installs one that decides
 * every request as Istio would; otherwise it backs off, and
 * {@code http.with(IstioSecurityConfigurer.istio(), ...)} adds the policies to the
 * application's chain.
 */
@AutoConfiguration(after = IstioSecurityAutoConfiguration.class, beforeName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class, jakarta.servlet.Filter.class })
@ConditionalOnBean(PolicyRuntime.class)
public final class IstioServletSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IstioEnforcementFilterFactory istioEnforcementFilterFactory(InboundPipeline pipeline) {
		return new IstioEnforcementFilterFactory(pipeline);
	}

	/**
	 * Gives requests that a servlet mapped by path prefix receives on a canonicalized
	 * reading of their target the normalized path before Spring Security parses it (which
	 * would fail); before the security filters.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "istioServletPathFilter")
	FilterRegistrationBean<IstioServletPathFilter> istioServletPathFilter(InboundPipeline pipeline) {
		FilterRegistrationBean<IstioServletPathFilter> registration = new FilterRegistrationBean<>(
				new IstioServletPathFilter(pipeline));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	IstioAuthorizationManager istioAuthorizationManager(InboundPipeline pipeline) {
		return new IstioAuthorizationManager(pipeline);
	}

	/**
	 * For an application's own chain: Spring Security's default firewall with its header
	 * and parameter checks done without regular expressions: the same rules, at a
	 * fraction of the per-request cost. The chain the starter owns has
	 * {@link IstioHttpFirewall} instead (declared first, in the nested configuration).
	 */
	@Bean
	@ConditionalOnMissingBean(HttpFirewall.class)
	StrictHttpFirewall istioHttpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(FirewallCharacters::assignedAndNotControl);
		firewall.setAllowedHeaderValues(FirewallCharacters::headerValue);
		firewall.setAllowedParameterNames(FirewallCharacters::assignedAndNotControl);
		firewall.setAllowedParameterValues(FirewallCharacters::assignedAndNotControl);
		return firewall;
	}

	@Bean
	@ConditionalOnMissingBean
	IstioIssuerAuthenticationManagerResolver istioIssuerAuthenticationManagerResolver(PolicyRuntime runtime) {
		return new IstioIssuerAuthenticationManagerResolver(runtime);
	}

	@Bean
	@ConditionalOnMissingBean(RequestRejectedHandler.class)
	IstioRequestRejectedHandler istioRequestRejectedHandler(InboundPipeline pipeline) {
		return new IstioRequestRejectedHandler(pipeline);
	}

	@Bean
	@ConditionalOnMissingBean
	IstioAccessDeniedHandler istioAccessDeniedHandler() {
		return new IstioAccessDeniedHandler();
	}

	/**
	 * The chain the starter owns, unless the application has its own. Needs Spring Boot's
	 * security auto-configuration (spring-boot-security), which provides
	 * {@link HttpSecurity}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConditionalOnDefaultWebSecurity.class)
	@ConditionalOnDefaultWebSecurity
	static class IstioSecurityFilterChainConfiguration {

		/**
		 * The path and method checks of Spring's firewall would refuse what Istio
		 * forwards; the inbound pipeline decides paths and methods as Envoy does, and
		 * keeps the header checks.
		 */
		@Bean
		@ConditionalOnMissingBean(HttpFirewall.class)
		IstioHttpFirewall istioOwnedChainHttpFirewall() {
			return new IstioHttpFirewall();
		}

		/**
		 * A stateless chain for APIs, shaped like a sidecar: no session, no CSRF token,
		 * no login page, no HTTP basic, no anonymous principal and no added response
		 * headers; the policies decide. Without session management at all: its two
		 * filters (session strategies after authentication, URL-rewriting guard) have
		 * nothing to do without a session, and the security context lives in the request,
		 * as a stateless chain's does. The filters after the security context holder run
		 * as one ({@link OwnedChainFilter}) unless requests are observed or the built
		 * chain is not what the starter configured.
		 */
		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE - 10)
		SecurityFilterChain istioSecurityFilterChain(HttpSecurity http, ApplicationContext application,
				ObjectProvider<ObservationRegistry> observations, ObjectProvider<SecurityObservationSettings> settings)
				throws Exception {
			http.csrf((csrf) -> csrf.disable())
				.sessionManagement((session) -> session.disable())
				.securityContext(
						(context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
				.requestCache((cache) -> cache.disable())
				.formLogin((form) -> form.disable())
				.httpBasic((basic) -> basic.disable())
				.logout((logout) -> logout.disable())
				.anonymous((anonymous) -> anonymous.disable())
				.headers((headers) -> headers.disable())
				.with(IstioSecurityConfigurer.istio(), Customizer.withDefaults());
			DefaultSecurityFilterChain built = http.build();
			if (SpringSecurityObservations.observeRequests(observations, settings)) {
				return built;
			}
			SecurityFilterChain fused = OwnedChainFilter.fuse(built, authorizationEvents(application));
			return (fused != null) ? fused : built;
		}

		/** As {@code authorizeHttpRequests} finds its publisher. */
		private static AuthorizationEventPublisher authorizationEvents(ApplicationContext context) {
			if (context.getBeanNamesForType(AuthorizationEventPublisher.class).length > 0) {
				return context.getBean(AuthorizationEventPublisher.class);
			}
			return new SpringAuthorizationEventPublisher(context);
		}

		/**
		 * Spring Security's observations of its own filters and authorization managers (a
		 * Micrometer observation around the chain, every filter and every decision)
		 * measure a chain the starter owns: its decisions are counted by
		 * {@code istio.security.*} meters instead. An application that wants them
		 * declares its own {@code SecurityObservationSettings}.
		 */
		@Bean
		@ConditionalOnMissingBean
		SecurityObservationSettings istioSecurityObservationSettings() {
			return SecurityObservationSettings.noObservations();
		}

	}

}
