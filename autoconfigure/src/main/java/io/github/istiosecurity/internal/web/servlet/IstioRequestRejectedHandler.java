package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;

import io.github.istiosecurity.internal.web.FirewallRejection;
import io.github.istiosecurity.internal.web.InboundPipeline;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Answers a request that Spring Security's firewall rejected with 400 and the firewall's
 * reason (values left out), logged at INFO: the same reply as the WebFlux stack's, and
 * never the error page's authorization.
 */
public final class IstioRequestRejectedHandler implements RequestRejectedHandler {

	private final InboundPipeline pipeline;

	/**
	 * Creates the handler.
	 * @param pipeline logs and counts the refusal like every other
	 */
	public IstioRequestRejectedHandler(InboundPipeline pipeline) {
		this.pipeline = pipeline;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
			throws IOException {
		LocalReplies.write(response, FirewallRejection.reply(this.pipeline, request.getMethod(),
				request.getRequestURI(), String.valueOf(rejected.getMessage())));
	}

}
