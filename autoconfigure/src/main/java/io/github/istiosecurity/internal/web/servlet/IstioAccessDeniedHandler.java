package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;

import io.github.istiosecurity.internal.web.LocalReply;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers an authorization denial as Envoy's RBAC filter does (§3.19): 403,
 * {@code text/plain}, {@code RBAC: access denied}, no {@code WWW-Authenticate}. It is
 * also the entry point, because a request without a token is anonymous to Spring Security
 * but simply unauthorized to Istio.
 */
public final class IstioAccessDeniedHandler implements AccessDeniedHandler, AuthenticationEntryPoint {

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		LocalReplies.write(response, LocalReply.RBAC_DENIED);
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		LocalReplies.write(response, LocalReply.RBAC_DENIED);
	}

}
