package io.github.istiosecurity.internal.web;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Reads Envoy's {@code X-Forwarded-Client-Cert} header: elements separated by {@code ,},
 * each a list of {@code key=value} pairs separated by {@code ;}, a value in double quotes
 * when it holds one of {@code ,;=} (inside quotes, {@code \} escapes the next character).
 * Each proxy that forwards the details of its client's certificate appends one element
 * ({@code APPEND_FORWARD}) or replaces the header with its own ({@code SANITIZE_SET}), so
 * the last element is the one written by the proxy that connects to the application. Only
 * its {@code URI} pairs (the client certificate's URI SANs, one pair per SAN) are
 * returned. Several header lines are one list, as for any comma-separated header.
 */
public final class ForwardedClientCert {

	/** The header's name, lower case. */
	public static final String HEADER = "x-forwarded-client-cert";

	private ForwardedClientCert() {
	}

	/**
	 * Returns the URI SANs of the last element, in order.
	 * @param headerLines every {@code X-Forwarded-Client-Cert} line, in order
	 * @return the URIs; empty when the header is absent or its last element has none
	 */
	public static List<String> lastElementUris(List<String> headerLines) {
		String last = null;
		for (String line : headerLines) {
			List<String> elements = split(line, ',');
			if (elements == null) {
				// an unterminated quote: the header is malformed, and a malformed claim
				// is no identity
				return List.of();
			}
			for (String element : elements) {
				if (!element.isBlank()) {
					last = element.trim();
				}
			}
		}
		return (last != null) ? uris(last) : List.of();
	}

	private static List<String> uris(String element) {
		List<String> uris = new ArrayList<>();
		List<String> pairs = split(element, ';');
		for (String pair : (pairs != null) ? pairs : List.<String>of()) {
			int equals = pair.indexOf('=');
			if (equals > 0 && pair.substring(0, equals).trim().equalsIgnoreCase("uri")) {
				String value = unquote(pair.substring(equals + 1).trim());
				if (!value.isEmpty()) {
					uris.add(value);
				}
			}
		}
		return uris;
	}

	/**
	 * Splits at every separator outside double quotes; a backslash in quotes escapes the
	 * next character. Returns {@code null} when a quote is not closed.
	 */
	private static @Nullable List<String> split(String text, char separator) {
		List<String> pieces = new ArrayList<>();
		int start = 0;
		boolean quoted = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted && c == '\\') {
				i++;
			}
			else if (c == '"') {
				quoted = !quoted;
			}
			else if (c == separator && !quoted) {
				pieces.add(text.substring(start, i));
				start = i + 1;
			}
		}
		if (quoted) {
			return null;
		}
		pieces.add(text.substring(Math.min(start, text.length())));
		return pieces;
	}

	private static String unquote(String value) {
		if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
			return value;
		}
		StringBuilder unquoted = new StringBuilder(value.length());
		for (int i = 1; i < value.length() - 1; i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length() - 1) {
				c = value.charAt(++i);
			}
			unquoted.append(c);
		}
		return unquoted.toString();
	}

}
