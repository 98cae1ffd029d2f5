package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.RequestTarget;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;

/**
 * The request-target as the client wrote it, from the server's own request object. Only
 * Reactor Netty needs it: Tomcat and Jetty refuse an absolute-form target whose authority
 * differs from {@code Host} (or, on HTTP/1.0, Tomcat copies it into {@code Host}), while
 * Reactor Netty accepts any target and builds {@link ServerHttpRequest#getURI()} from the
 * {@code Host} header, dropping the target's authority.
 */
final class NativeRequestTarget {

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.http.server.HttpServerRequest",
			NativeRequestTarget.class.getClassLoader());

	private NativeRequestTarget() {
	}

	/**
	 * Classifies the request's target as Envoy's codec would.
	 * @param request the request, possibly decorated
	 * @return the classification; origin-form when the raw target is not available
	 */
	static RequestTarget of(ServerHttpRequest request) {
		String raw = REACTOR_NETTY ? ReactorNetty.uri(request) : null;
		return RequestTarget.of(request.getMethod().name(), (raw != null) ? raw : "/");
	}

	/**
	 * Returns the request's protocol as Envoy names it, where the server's request object
	 * tells it.
	 * @param request the request, possibly decorated
	 * @return {@code HTTP/1.0}, {@code HTTP/1.1}, {@code HTTP/2}, or {@code null} when
	 * unknown
	 */
	static @Nullable String protocol(ServerHttpRequest request) {
		return REACTOR_NETTY ? ReactorNetty.protocol(request) : null;
	}

	/** Kept apart so that the class is only loaded when Reactor Netty is there. */
	private static final class ReactorNetty {

		static @Nullable String uri(ServerHttpRequest request) {
			Object nativeRequest;
			try {
				nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				// not a server's request: a test double (IllegalArgumentException), or a
				// WebTestClient's
				// MockServerHttpRequest in a @WebFluxTest, which has no server
				// (IllegalStateException)
				return null;
			}
			return (nativeRequest instanceof HttpServerRequest netty) ? netty.uri() : null;
		}

		static @Nullable String protocol(ServerHttpRequest request) {
			Object nativeRequest;
			try {
				nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
			if (nativeRequest instanceof HttpServerRequest netty) {
				String protocol = netty.version().text();
				return protocol.equals("HTTP/2.0") ? "HTTP/2" : protocol;
			}
			return null;
		}

	}

}
