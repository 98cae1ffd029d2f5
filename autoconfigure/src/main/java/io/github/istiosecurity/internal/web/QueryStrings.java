package io.github.istiosecurity.internal.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Reads a parameter from a raw query string as Envoy's JWT extractor does (§2.5): the
 * query string only (never a form body), URL-decoded, names compared case-sensitively,
 * the first occurrence wins.
 */
public final class QueryStrings {

	private QueryStrings() {
	}

	/**
	 * Returns the first value of a parameter.
	 * @param rawQuery the raw (still encoded) query string, or {@code null}
	 * @param name the parameter name
	 * @return the decoded value ({@code ""} for a parameter without {@code =}), or
	 * {@code null} when absent
	 */
	public static @Nullable String firstValue(@Nullable String rawQuery, String name) {
		if (rawQuery == null) {
			return null;
		}
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			String key = decode((equals < 0) ? pair : pair.substring(0, equals));
			if (key.equals(name)) {
				return decode((equals < 0) ? "" : pair.substring(equals + 1));
			}
		}
		return null;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

}
