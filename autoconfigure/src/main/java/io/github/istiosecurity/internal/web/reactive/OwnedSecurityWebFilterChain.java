package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.InboundPipeline;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;

/**
 * The chain the starter owns when the application declares none: every exchange, one
 * filter ({@link IstioEnforcementWebFilter#owningChain}). Served by Spring Security's
 * {@code WebFilterChainProxy}, or, when nothing else would run in it, by
 * {@link OwnedChainWebFilterChainProxy}.
 */
public final class OwnedSecurityWebFilterChain implements SecurityWebFilterChain {

	private static final Mono<Boolean> EVERY_EXCHANGE = Mono.just(true);

	private final IstioEnforcementWebFilter filter;

	private final Flux<WebFilter> filters;

	/**
	 * Creates the chain.
	 * @param pipeline the inbound pipeline
	 */
	public OwnedSecurityWebFilterChain(InboundPipeline pipeline) {
		this.filter = IstioEnforcementWebFilter.owningChain(pipeline);
		this.filters = Flux.just(this.filter);
	}

	@Override
	public Mono<Boolean> matches(ServerWebExchange exchange) {
		return EVERY_EXCHANGE;
	}

	@Override
	public Flux<WebFilter> getWebFilters() {
		return this.filters;
	}

	/** The chain's only filter. */
	IstioEnforcementWebFilter filter() {
		return this.filter;
	}

}
