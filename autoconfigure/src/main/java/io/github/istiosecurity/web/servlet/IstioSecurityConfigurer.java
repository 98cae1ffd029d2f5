package io.github.istiosecurity.web.servlet;

import io.github.istiosecurity.internal.web.servlet.IstioAccessDeniedHandler;
import io.github.istiosecurity.internal.web.servlet.IstioEnforcementFilter;
import io.github.istiosecurity.internal.web.servlet.IstioEnforcementFilterFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * Adds Istio policy enforcement to a Spring Security filter chain: the
 * {@link IstioEnforcementFilter} (path normalization, CUSTOM, JWT) right after the
 * security context is set up, Envoy-style denial responses, and, unless turned off,
 * {@code anyRequest().access(istio)} so every request is decided by the policies.
 * <pre class="code">
 * &#64;Bean
 * SecurityFilterChain api(HttpSecurity http) throws Exception {
 *     return http.with(IstioSecurityConfigurer.istio(), Customizer.withDefaults()).build();
 * }
 * </pre> Use {@code istio().authorizeAllRequests(false)} to keep your own
 * {@code authorizeHttpRequests} rules and call the {@link IstioAuthorizationManager} bean
 * from them.
 */
public final class IstioSecurityConfigurer extends AbstractHttpConfigurer<IstioSecurityConfigurer, HttpSecurity> {

	private boolean authorizeAllRequests = true;

	private IstioSecurityConfigurer() {
	}

	/**
	 * Creates the configurer.
	 * @return the configurer
	 */
	public static IstioSecurityConfigurer istio() {
		return new IstioSecurityConfigurer();
	}

	/**
	 * Whether every request is authorized by the policies
	 * ({@code anyRequest().access(istio)}); default true.
	 * @param authorizeAll whether to add the rule
	 * @return this configurer
	 */
	public IstioSecurityConfigurer authorizeAllRequests(boolean authorizeAll) {
		this.authorizeAllRequests = authorizeAll;
		return this;
	}

	@Override
	public void init(HttpSecurity http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		IstioAccessDeniedHandler denied = context.getBean(IstioAccessDeniedHandler.class);
		http.exceptionHandling((handling) -> handling.accessDeniedHandler(denied).authenticationEntryPoint(denied));
		if (this.authorizeAllRequests) {
			IstioAuthorizationManager manager = context.getBean(IstioAuthorizationManager.class);
			http.authorizeHttpRequests((requests) -> requests.anyRequest().access(manager));
		}
	}

	@Override
	public void configure(HttpSecurity http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		IstioEnforcementFilter filter = context.getBean(IstioEnforcementFilterFactory.class).create();
		http.addFilterAfter(postProcess(filter), SecurityContextHolderFilter.class);
	}

}
