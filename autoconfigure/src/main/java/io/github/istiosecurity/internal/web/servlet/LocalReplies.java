package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.github.istiosecurity.internal.web.LocalReply;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes {@link LocalReply local replies} to a servlet response.
 */
final class LocalReplies {

	private LocalReplies() {
	}

	static void write(HttpServletResponse response, LocalReply reply) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		response.setStatus(reply.status());
		// plain text unless the reply names its own type (an extension authorizer's
		// denial, §3.19)
		response.setContentType("text/plain");
		reply.headers().forEach(response::setHeader);
		byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
		response.flushBuffer();
	}

}
