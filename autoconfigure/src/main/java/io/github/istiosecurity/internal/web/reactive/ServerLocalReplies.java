package io.github.istiosecurity.internal.web.reactive;

import java.nio.charset.StandardCharsets;

import io.github.istiosecurity.internal.web.LocalReply;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes {@link LocalReply local replies} to a WebFlux response, byte for byte as the
 * servlet adapter does.
 */
final class ServerLocalReplies {

	private ServerLocalReplies() {
	}

	static Mono<Void> write(ServerWebExchange exchange, LocalReply reply) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		response.setStatusCode(HttpStatusCode.valueOf(reply.status()));
		// plain text unless the reply names its own type (an extension authorizer's
		// denial, §3.19)
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		reply.headers().forEach(response.getHeaders()::set);
		byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentLength(bytes.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
	}

}
