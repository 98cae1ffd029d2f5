package io.github.istiosecurity.web.reactive;

import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.reactive.IstioEnforcementWebFilter;
import io.github.istiosecurity.internal.web.reactive.IstioServerAccessDeniedHandler;

import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * Adds Istio policy enforcement to a WebFlux {@link ServerHttpSecurity}, the reactive
 * equivalent of the servlet {@code IstioSecurityConfigurer}: the
 * {@link IstioEnforcementWebFilter} (path normalization, CUSTOM, JWT) at the
 * authentication position, Envoy-style denial responses, and, unless turned off,
 * {@code anyExchange().access(istio)} so every request is decided by the policies. The
 * starter declares one as a bean. It is deliberately not a
 * {@code Customizer<ServerHttpSecurity>} bean, which Spring Security would apply to every
 * chain on its own; as on the servlet side, an application's chain opts in explicitly:
 * <pre class="code">
 * &#64;Bean
 * SecurityWebFilterChain api(ServerHttpSecurity http, IstioServerHttpSecurityConfigurer istio) {
 *     istio.configure(http);   // normalization, CUSTOM, JWT, and anyExchange().access(istio)
 *     return http.build();
 * }
 * </pre> Use {@link #authorizeAllExchanges(boolean) authorizeAllExchanges(false)} to keep
 * your own {@code authorizeExchange} rules and call the
 * {@link IstioReactiveAuthorizationManager} bean from them.
 */
public final class IstioServerHttpSecurityConfigurer {

	private final InboundPipeline pipeline;

	private final IstioReactiveAuthorizationManager authorizationManager;

	private final IstioServerAccessDeniedHandler deniedHandler;

	private final boolean authorizeAllExchanges;

	/**
	 * Creates the configurer.
	 * @param pipeline the inbound pipeline
	 * @param authorizationManager the authorization manager
	 * @param deniedHandler the denial responses
	 */
	public IstioServerHttpSecurityConfigurer(InboundPipeline pipeline,
			IstioReactiveAuthorizationManager authorizationManager, IstioServerAccessDeniedHandler deniedHandler) {
		this(pipeline, authorizationManager, deniedHandler, true);
	}

	private IstioServerHttpSecurityConfigurer(InboundPipeline pipeline,
			IstioReactiveAuthorizationManager authorizationManager, IstioServerAccessDeniedHandler deniedHandler,
			boolean authorizeAllExchanges) {
		this.pipeline = pipeline;
		this.authorizationManager = authorizationManager;
		this.deniedHandler = deniedHandler;
		this.authorizeAllExchanges = authorizeAllExchanges;
	}

	/**
	 * Returns a configurer that does or does not add {@code anyExchange().access(istio)};
	 * default true.
	 * @param authorizeAll whether to add the rule
	 * @return a configurer with that setting
	 */
	public IstioServerHttpSecurityConfigurer authorizeAllExchanges(boolean authorizeAll) {
		return new IstioServerHttpSecurityConfigurer(this.pipeline, this.authorizationManager, this.deniedHandler,
				authorizeAll);
	}

	/**
	 * Adds the filter, the denial responses and, unless turned off,
	 * {@code anyExchange().access(istio)}.
	 * @param http the chain being built
	 * @return the same {@code http}, for chaining
	 */
	public ServerHttpSecurity configure(ServerHttpSecurity http) {
		http.addFilterAt(new IstioEnforcementWebFilter(this.pipeline), SecurityWebFiltersOrder.AUTHENTICATION);
		http.exceptionHandling((handling) -> handling.accessDeniedHandler(this.deniedHandler)
			.authenticationEntryPoint(this.deniedHandler));
		if (this.authorizeAllExchanges) {
			http.authorizeExchange((exchanges) -> exchanges.anyExchange().access(this.authorizationManager));
		}
		return http;
	}

}
