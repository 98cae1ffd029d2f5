package io.github.istiosecurity.internal.extauthz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A list of header names as an extension provider writes them
 * ({@code includeRequestHeadersInCheck}, {@code headersToUpstreamOnAllow}, ...): exact
 * {@code abc}, prefix {@code abc*} or suffix {@code *abc}, ignoring case, as istiod turns
 * them into Envoy's {@code ListStringMatcher} (its {@code generateHeaders}). A single
 * {@code *} is refused, as istiod refuses it.
 */
public final class HeaderNamePatterns {

	static final HeaderNamePatterns NONE = new HeaderNamePatterns(List.of(), new String[0], new int[0]);

	private static final int EXACT = 0;

	private static final int PREFIX = 1;

	private static final int SUFFIX = 2;

	private final List<String> written;

	/** Lower-cased patterns without their {@code *}. */
	private final String[] values;

	private final int[] kinds;

	private HeaderNamePatterns(List<String> written, String[] values, int[] kinds) {
		this.written = written;
		this.values = values;
		this.kinds = kinds;
	}

	/**
	 * Reads the patterns of a provider field.
	 * @param patterns the patterns as written
	 * @param field the field's name, for the error
	 * @return the patterns
	 * @throws IllegalArgumentException for a single {@code *} or an empty pattern
	 */
	public static HeaderNamePatterns of(List<String> patterns, String field) {
		if (patterns.isEmpty()) {
			return NONE;
		}
		List<String> written = new ArrayList<>(patterns.size());
		String[] values = new String[patterns.size()];
		int[] kinds = new int[patterns.size()];
		for (int i = 0; i < patterns.size(); i++) {
			String pattern = patterns.get(i);
			if (pattern.equals("*")) {
				throw new IllegalArgumentException(field + ": a single wildcard (\"*\") is not supported, change it "
						+ "to either prefix or suffix match");
			}
			if (pattern.isEmpty()) {
				throw new IllegalArgumentException(field + ": an empty header name");
			}
			written.add(pattern);
			String lower = pattern.toLowerCase(Locale.ROOT);
			if (lower.startsWith("*")) {
				kinds[i] = SUFFIX;
				values[i] = lower.substring(1);
			}
			else if (lower.endsWith("*")) {
				kinds[i] = PREFIX;
				values[i] = lower.substring(0, lower.length() - 1);
			}
			else {
				kinds[i] = EXACT;
				values[i] = lower;
			}
		}
		return new HeaderNamePatterns(List.copyOf(written), values, kinds);
	}

	/**
	 * Returns whether no pattern is configured.
	 * @return whether empty
	 */
	public boolean isEmpty() {
		return this.values.length == 0;
	}

	/**
	 * Returns whether a header name matches one of the patterns, ignoring case.
	 * @param name the header name
	 * @return whether it matches
	 */
	public boolean matches(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		for (int i = 0; i < this.values.length; i++) {
			boolean match = switch (this.kinds[i]) {
				case PREFIX -> lower.startsWith(this.values[i]);
				case SUFFIX -> lower.endsWith(this.values[i]);
				default -> lower.equals(this.values[i]);
			};
			if (match) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return this.written.toString();
	}

}
