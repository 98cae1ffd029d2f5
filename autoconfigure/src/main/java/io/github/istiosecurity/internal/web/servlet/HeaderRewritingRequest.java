package io.github.istiosecurity.internal.web.servlet;

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
 * The request as JWT processing leaves it (§2.9): the verified token's header and forged
 * output headers removed, claim and payload headers added; or as an extension authorizer
 * that allowed it changed it (§3.18). Authorization and the application see this request.
 */
final class HeaderRewritingRequest extends HttpServletRequestWrapper {

	// a handful of names: scanning arrays ignoring case beats lower-casing every name the
	// application asks for
	private final String[] removed;

	private final String[] addedNames;

	private final String[] addedValues;

	private final Map<String, String> added;

	HeaderRewritingRequest(HttpServletRequest request, Set<String> removedLowerCase, Map<String, String> added) {
		super(request);
		this.removed = removedLowerCase.toArray(String[]::new);
		this.added = added;
		this.addedNames = new String[added.size()];
		this.addedValues = new String[added.size()];
		int i = 0;
		for (Map.Entry<String, String> header : added.entrySet()) {
			this.addedNames[i] = header.getKey();
			this.addedValues[i] = header.getValue();
			i++;
		}
	}

	/** Lower-cases header names, as the constructor expects them. */
	static Set<String> lowerCase(Set<String> names) {
		Set<String> lower = new LinkedHashSet<>();
		for (String name : names) {
			lower.add(name.toLowerCase(Locale.ROOT));
		}
		return lower;
	}

	private boolean isRemoved(String name) {
		for (String removed : this.removed) {
			if (removed.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

	private @Nullable String addedValue(String name) {
		for (int i = 0; i < this.addedNames.length; i++) {
			if (this.addedNames[i].equalsIgnoreCase(name)) {
				return this.addedValues[i];
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
		return isRemoved(name) ? null : super.getHeader(name);
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		String added = addedValue(name);
		if (added != null) {
			return Collections.enumeration(List.of(added));
		}
		return isRemoved(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
	}

	@Override
	public Enumeration<String> getHeaderNames() {
		Set<String> names = new LinkedHashSet<>();
		Enumeration<String> original = super.getHeaderNames();
		while (original != null && original.hasMoreElements()) {
			String name = original.nextElement();
			if (!isRemoved(name) && addedValue(name) == null) {
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
