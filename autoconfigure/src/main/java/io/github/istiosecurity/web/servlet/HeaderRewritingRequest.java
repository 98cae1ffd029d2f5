package io.github.istiosecurity.web.servlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * The request as JWT processing leaves it (§2.9): the verified token's header and forged output headers
 * removed, claim and payload headers added. Authorization and the application see this request.
 */
final class HeaderRewritingRequest extends HttpServletRequestWrapper {

	private final Set<String> removed;

	private final Map<String, String> added;

	HeaderRewritingRequest(HttpServletRequest request, Set<String> removedLowerCase, Map<String, String> added) {
		super(request);
		this.removed = removedLowerCase;
		this.added = added;
	}

	private @Nullable String addedValue(String name) {
		for (Map.Entry<String, String> header : this.added.entrySet()) {
			if (header.getKey().equalsIgnoreCase(name)) {
				return header.getValue();
			}
		}
		return null;
	}

	@Override
	public @Nullable String getHeader(String name) {
		String added = addedValue(name);
		if (added != null) {
			return added;
		}
		return this.removed.contains(name.toLowerCase(Locale.ROOT)) ? null : super.getHeader(name);
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		String added = addedValue(name);
		if (added != null) {
			return Collections.enumeration(List.of(added));
		}
		return this.removed.contains(name.toLowerCase(Locale.ROOT)) ? Collections.emptyEnumeration()
				: super.getHeaders(name);
	}

	@Override
	public Enumeration<String> getHeaderNames() {
		Set<String> names = new LinkedHashSet<>();
		Enumeration<String> original = super.getHeaderNames();
		while (original != null && original.hasMoreElements()) {
			String name = original.nextElement();
			if (!this.removed.contains(name.toLowerCase(Locale.ROOT)) && addedValue(name) == null) {
				names.add(name);
			}
		}
		names.addAll(this.added.keySet());
		return Collections.enumeration(new ArrayList<>(names));
	}

	@Override
	public long getDateHeader(String name) {
		return (getHeader(name) == null) ? -1 : super.getDateHeader(name);
	}

	@Override
	public int getIntHeader(String name) {
		String value = getHeader(name);
		return (value == null) ? -1 : Integer.parseInt(value);
	}

}
