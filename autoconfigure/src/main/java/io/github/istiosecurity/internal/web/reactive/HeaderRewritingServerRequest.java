package io.github.istiosecurity.internal.web.reactive;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The request as JWT processing leaves it (§2.9): the verified token's header and forged
 * output headers removed, claim and payload headers added; or as an extension authorizer
 * that allowed it changed it (§3.18). Authorization and the application see this request.
 * The twin of the servlet {@code HeaderRewritingRequest}. A decorator over the
 * (firewalled) request rather than {@code request.mutate()}: only the headers change, so
 * only the headers are copied, once: Netty's own, on Reactor Netty
 * ({@link ReceivedHeaders#rewritten}), into Spring's map otherwise.
 */
final class HeaderRewritingServerRequest extends ServerHttpRequestDecorator {

	private final HttpHeaders headers;

	HeaderRewritingServerRequest(ServerHttpRequest request, Set<String> removedLowerCase, Map<String, String> added) {
		super(request);
		HttpHeaders rewritten = ReceivedHeaders.rewritten(request, removedLowerCase, added);
		if (rewritten == null) {
			rewritten = new HttpHeaders();
			HttpHeaders copy = rewritten;
			request.getHeaders().forEach((name, values) -> {
				if (!isRemoved(removedLowerCase, name)) {
					copy.addAll(name, values);
				}
			});
			added.forEach(copy::set);
		}
		this.headers = HttpHeaders.readOnlyHttpHeaders(rewritten);
	}

	/** Lower-cases header names, as the constructor expects them. */
	static Set<String> lowerCase(Set<String> names) {
		Set<String> lower = new LinkedHashSet<>();
		for (String name : names) {
			lower.add(name.toLowerCase(Locale.ROOT));
		}
		return lower;
	}

	private static boolean isRemoved(Set<String> removedLowerCase, String name) {
		// a handful of names: comparing ignoring case beats lower-casing every header
		// name
		for (String removed : removedLowerCase) {
			if (removed.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.headers;
	}

}
