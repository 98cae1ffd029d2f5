package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.LocalReply;
import reactor.core.publisher.Mono;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers an authorization denial as Envoy's RBAC filter does (§3.19): 403,
 * {@code text/plain}, {@code RBAC: access denied}, no {@code WWW-Authenticate}. It is
 * also the entry point, because a request without a token is anonymous to Spring Security
 * but simply unauthorized to Istio.
 */
public final class IstioServerAccessDeniedHandler implements ServerAccessDeniedHandler, ServerAuthenticationEntryPoint {

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return ServerLocalReplies.write(exchange, LocalReply.RBAC_DENIED);
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		return ServerLocalReplies.write(exchange, LocalReply.RBAC_DENIED);
	}

}
