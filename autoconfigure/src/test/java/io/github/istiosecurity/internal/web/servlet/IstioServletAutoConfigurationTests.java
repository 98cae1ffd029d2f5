package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

import io.github.istiosecurity.autoconfigure.IstioSecurityAutoConfiguration;
import io.github.istiosecurity.autoconfigure.IstioServletSecurityAutoConfiguration;
import io.github.istiosecurity.internal.load.PolicyLoadException;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.testsupport.SpringSecurityObservations.ObservedRequests;
import io.github.istiosecurity.testsupport.SpringSecurityObservations.RecordingRegistry;
import io.github.istiosecurity.web.servlet.IstioAuthorizationManager;
import io.github.istiosecurity.web.servlet.IstioSecurityConfigurer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration's situations, one per test: defaults, turned off, missing
 * classes, the application's own chain, and invalid policies at start-up.
 */
class IstioServletAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(IstioSecurityAutoConfiguration.class, IstioServletSecurityAutoConfiguration.class,
						SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.policy-locations=classpath:istio-test/allow-get.yaml");

	@Test
	void installsTheRuntimeAndAChainByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(PolicyRuntime.class).hasSingleBean(IstioAuthorizationManager.class);
			assertThat(context).getBeans(SecurityFilterChain.class).containsKey("istioSecurityFilterChain");
			assertThat(context.getBean(PolicyRuntime.class).current().compiled().appliedPolicies()).hasSize(1);
			// the owned chain: paths and methods are the pipeline's; rejections are 400
			// with a reason
			assertThat(context).getBean(HttpFirewall.class).isInstanceOf(IstioHttpFirewall.class);
			assertThat(context).getBean(RequestRejectedHandler.class).isInstanceOf(IstioRequestRejectedHandler.class);
		});
	}

	@Test
	void theOwnedChainIsTheContextHolderAndOneFilterForTheRest() {
		this.runner.run((context) -> assertThat(filtersOf(context)).containsExactly(SecurityContextHolderFilter.class,
				OwnedChainFilter.class));
	}

	@Test
	void theOwnedChainKeepsEveryFilterWhenRequestsAreObservedOrACustomizerChangedIt() {
		// Spring Security's observations are of each filter; a customizer bean applies
		// to every HttpSecurity, the starter's too
		this.runner.withUserConfiguration(ObservedRequests.class, RecordingRegistry.class)
			.run((context) -> assertThat(filtersOf(context)).containsExactly(BUILT));
		this.runner.withUserConfiguration(RecordingRegistry.class)
			.run((context) -> assertThat(filtersOf(context)).containsExactly(SecurityContextHolderFilter.class,
					OwnedChainFilter.class));
		this.runner.withUserConfiguration(AddedFilter.class)
			.run((context) -> assertThat(filtersOf(context)).contains(BUILT).contains(AddedFilter.Marker.class));
	}

	@Test
	void theOwnedChainKeepsEveryFilterWhenErrorOrAsyncDispatchesAreNoLongerAuthorized() {
		// the fused chain authorizes every dispatch, as AuthorizationFilter does unless
		// told otherwise
		this.runner.withUserConfiguration(SkippedErrorDispatch.class)
			.run((context) -> assertThat(filtersOf(context)).containsExactly(BUILT));
		this.runner.withUserConfiguration(SkippedAsyncDispatch.class)
			.run((context) -> assertThat(filtersOf(context)).containsExactly(BUILT));
	}

	private static List<Class<?>> filtersOf(AssertableWebApplicationContext context) {
		SecurityFilterChain chain = context.getBean("istioSecurityFilterChain", SecurityFilterChain.class);
		// the security context, Principal and isUserInRole, method security's
		// AccessDeniedException, the decision; no session machinery
		return chain.getFilters().stream().<Class<?>>map(Object::getClass).toList();
	}

	private static final Class<?>[] BUILT = { WebAsyncManagerIntegrationFilter.class, SecurityContextHolderFilter.class,
			IstioEnforcementFilter.class, SecurityContextHolderAwareRequestFilter.class,
			ExceptionTranslationFilter.class, AuthorizationFilter.class };

	@Test
	void installsNothingWhenDisabled() {
		this.runner.withPropertyValues("istio.security.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(PolicyRuntime.class);
			assertThat(context).getBeans(SecurityFilterChain.class).doesNotContainKey("istioSecurityFilterChain");
		});
	}

	@Test
	void backsOffWithoutSpringSecuritysJwtSupport() {
		this.runner.withClassLoader(new FilteredClassLoader(Jwt.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PolicyRuntime.class));
	}

	@Test
	void backsOffWhenTheApplicationHasItsOwnChainAndOffersTheConfigurer() {
		this.runner.withUserConfiguration(OwnChain.class).run((context) -> {
			assertThat(context).getBeans(SecurityFilterChain.class).containsOnlyKeys("ownChain");
			assertThat(context).hasSingleBean(PolicyRuntime.class);
			// the application's chain keeps Spring's firewall rules (regex-free), its
			// rejections answered 400
			assertThat(context).getBean(HttpFirewall.class).isExactlyInstanceOf(StrictHttpFirewall.class);
			assertThat(context).getBean(RequestRejectedHandler.class).isInstanceOf(IstioRequestRejectedHandler.class);
		});
	}

	@Test
	void keepsTheApplicationsOwnFirewall() {
		this.runner.withUserConfiguration(OwnFirewall.class)
			.run((context) -> assertThat(context).getBeans(HttpFirewall.class).containsOnlyKeys("ownFirewall"));
	}

	@Test
	void anInvalidPolicyStopsStartUpNamingFileLineAndField() {
		this.runner.withPropertyValues("istio.security.policy-locations=classpath:istio-test/invalid.yaml")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(PolicyLoadException.class)
					.hasMessageContaining("invalid.yaml:9: spec.rules[0].to[0].operation.method");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class AddedFilter {

		@Bean
		Customizer<HttpSecurity> addedFilter() {
			return (http) -> http.addFilterAfter(new Marker(), AuthorizationFilter.class);
		}

		static final class Marker extends OncePerRequestFilter {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				chain.doFilter(request, response);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SkippedErrorDispatch {

		@Bean
		Customizer<HttpSecurity> skippedErrorDispatch() {
			return changedAuthorizationFilter((filter) -> filter.setFilterErrorDispatch(false));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SkippedAsyncDispatch {

		@Bean
		Customizer<HttpSecurity> skippedAsyncDispatch() {
			return changedAuthorizationFilter((filter) -> filter.setFilterAsyncDispatch(false));
		}

	}

	/** What an application's object post-processor can do to the chain's filter. */
	private static Customizer<HttpSecurity> changedAuthorizationFilter(Consumer<AuthorizationFilter> change) {
		return (http) -> http.authorizeHttpRequests(
				(requests) -> requests.withObjectPostProcessor(new ObjectPostProcessor<AuthorizationFilter>() {

					@Override
					public <O extends AuthorizationFilter> O postProcess(O filter) {
						change.accept(filter);
						return filter;
					}

				}));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnFirewall {

		@Bean
		HttpFirewall ownFirewall() {
			return new StrictHttpFirewall();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnChain {

		@Bean
		SecurityFilterChain ownChain(HttpSecurity http) throws Exception {
			return http.with(IstioSecurityConfigurer.istio(), Customizer.withDefaults()).build();
		}

	}

}
