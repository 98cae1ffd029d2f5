package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.FirewallRejection;
import io.github.istiosecurity.internal.web.InboundPipeline;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers an exchange that Spring Security's WebFlux firewall rejected with 400 and the
 * firewall's reason (values left out), logged at INFO: the same reply as the servlet
 * stack's, where Spring's default answers a bare 400.
 */
public final class IstioServerExchangeRejectedHandler implements ServerExchangeRejectedHandler {

	private final InboundPipeline pipeline;

	/**
	 * Creates the handler.
	 * @param pipeline logs and counts the refusal like every other
	 */
	public IstioServerExchangeRejectedHandler(InboundPipeline pipeline) {
		this.pipeline = pipeline;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
		ServerHttpRequest request = exchange.getRequest();
		String rawPath = request.getURI().getRawPath();
		return ServerLocalReplies.write(exchange, FirewallRejection.reply(this.pipeline, request.getMethod().name(),
				(rawPath != null) ? rawPath : "", String.valueOf(rejected.getMessage())));
	}

}
