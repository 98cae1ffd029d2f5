package io.github.istiosecurity.internal.web.reactive;

import reactor.core.publisher.Mono;

import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * Spring Security's {@code WebFilterChainProxy} for the one case where it has nothing to
 * choose and nothing to wrap: the starter's own chain is the only one, the firewall is
 * the starter's pass-through one and no observation decorates the chain
 * ({@link OwnedChainProxyPostProcessor} checks all three). The proxy would still assemble
 * and subscribe a dozen Reactor operators per request to pick that chain (match every
 * chain, collect its filters, decorate, apply the firewall, catch its rejections); this
 * one calls the chain's filter directly, with the application's chain after it, which is
 * what the proxy ends up doing.
 */
public final class OwnedChainWebFilterChainProxy extends WebFilterChainProxy {

	private final IstioEnforcementWebFilter filter;

	OwnedChainWebFilterChainProxy(OwnedSecurityWebFilterChain chain) {
		super(chain);
		this.filter = chain.filter();
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return this.filter.filter(exchange, chain);
	}

}
