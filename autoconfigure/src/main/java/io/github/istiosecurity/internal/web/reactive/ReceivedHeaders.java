package io.github.istiosecurity.internal.web.reactive;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import io.github.istiosecurity.internal.web.FirewallCharacters;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.ClassUtils;

/**
 * The request's headers walked once, entry by entry, or copied for a rewrite. Spring's
 * {@code HttpHeaders} over Reactor Netty's headers builds a case-insensitive map of the
 * names for every {@code headerNames()} and a list for every {@code get}; a request
 * Reactor Netty received and nobody changed has its headers read and copied straight from
 * Netty instead. Any other request (another server, a request an earlier filter changed,
 * a test's request) goes through {@code HttpHeaders} (for the firewall check,
 * {@code RequestView}'s own), with the same answers.
 */
final class ReceivedHeaders {

	private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.http.server.HttpServerRequest",
			ReceivedHeaders.class.getClassLoader());

	private ReceivedHeaders() {
	}

	/**
	 * Whether the request's headers are Reactor Netty's own, as received, so that
	 * {@link #forbidden} can read them.
	 * @param request the request
	 * @return whether they are
	 */
	static boolean asReceived(ServerHttpRequest request) {
		return REACTOR_NETTY && ReactorNetty.headers(request) != null;
	}

	/**
	 * Returns the name of the first header whose name or value the firewall would refuse
	 * ({@code ?} for a refused name), read in one pass over Netty's headers; for a
	 * request {@link #asReceived} (any other has nothing to read here: {@code null}).
	 * @param request the request
	 * @return the name, {@code ?}, or {@code null} when every header is acceptable
	 */
	static @Nullable String forbidden(ServerHttpRequest request) {
		if (REACTOR_NETTY) {
			io.netty.handler.codec.http.HttpHeaders received = ReactorNetty.headers(request);
			if (received != null) {
				return ReactorNetty.forbidden(received);
			}
		}
		return null;
	}

	/**
	 * Returns the request's headers without the removed names and with the added ones
	 * set, over a copy of Netty's own headers, for a request {@link #asReceived}: Netty
	 * copies its entries as they are and finds a name by its own case-insensitive hash,
	 * where Spring's map would lower-case every name into a new map. {@code null} for any
	 * other request.
	 * @param request the request
	 * @param removedLowerCase the names to remove, lower case
	 * @param added the names and values to set
	 * @return the rewritten headers, writable, or {@code null}
	 */
	static @Nullable HttpHeaders rewritten(ServerHttpRequest request, Set<String> removedLowerCase,
			Map<String, String> added) {
		if (REACTOR_NETTY) {
			io.netty.handler.codec.http.HttpHeaders received = ReactorNetty.headers(request);
			if (received != null) {
				return ReactorNetty.rewritten(received, removedLowerCase, added);
			}
		}
		return null;
	}

	/** Kept apart so that Netty's classes are only loaded when Reactor Netty is there. */
	private static final class ReactorNetty {

		/**
		 * Reactor Netty's own request class in Spring: its headers are Netty's, unchanged
		 * (a mutated or decorated request has another class). A package-private class:
		 * should a Spring release rename it, every request takes the {@code HttpHeaders}
		 * path.
		 */
		private static final @Nullable Class<?> RECEIVED = receivedRequestClass();

		/**
		 * Headers that accept what Spring's map accepts: the received ones passed Netty's
		 * checks already, and added values (claims) are the starter's to judge, not
		 * Netty's.
		 */
		private static final HttpHeadersFactory UNCHECKED = DefaultHttpHeadersFactory.headersFactory()
			.withValidation(false);

		private static @Nullable Class<?> receivedRequestClass() {
			try {
				return ClassUtils.forName("org.springframework.http.server.reactive.ReactorServerHttpRequest",
						ReceivedHeaders.class.getClassLoader());
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return null;
			}
		}

		static io.netty.handler.codec.http.@Nullable HttpHeaders headers(ServerHttpRequest request) {
			if (RECEIVED != null && request.getClass() == RECEIVED
					&& request instanceof AbstractServerHttpRequest server
					&& server.getNativeRequest() instanceof HttpServerRequest netty) {
				return netty.requestHeaders();
			}
			return null;
		}

		static @Nullable String forbidden(io.netty.handler.codec.http.HttpHeaders headers) {
			Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
			while (entries.hasNext()) {
				Map.Entry<CharSequence, CharSequence> entry = entries.next();
				if (!FirewallCharacters.assignedAndNotControl(entry.getKey())) {
					return "?";
				}
				if (!FirewallCharacters.headerValue(entry.getValue())) {
					return entry.getKey().toString();
				}
			}
			return null;
		}

		static HttpHeaders rewritten(io.netty.handler.codec.http.HttpHeaders received, Set<String> removedLowerCase,
				Map<String, String> added) {
			io.netty.handler.codec.http.HttpHeaders copy = UNCHECKED.newHeaders().add(received);
			for (String name : removedLowerCase) {
				copy.remove(name);
			}
			added.forEach(copy::set);
			return new HttpHeaders(new Netty4HeadersAdapter(copy));
		}

	}

}
