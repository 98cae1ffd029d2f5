package io.github.istiosecurity.internal.authz.match;

import java.util.Locale;

/**
 * A test on one string value: the leaves of every compiled policy. Implementations are
 * tiny, final and allocation-free; none uses a regular expression.
 */
@FunctionalInterface
public interface StringMatcher {

	/**
	 * Whether the value matches.
	 * @param value the attribute value, never {@code null} (an absent attribute is
	 * handled by the caller)
	 * @return whether it matches
	 */
	boolean matches(String value);

	/**
	 * Compiles a value with Istio's common grammar (§3.6): {@code *} alone is
	 * {@code presence}; a leading {@code *} a suffix; a trailing {@code *} a prefix;
	 * anything else exact.
	 * @param value the policy value
	 * @param presence what {@code *} alone means for this attribute
	 * @return the matcher
	 */
	static StringMatcher of(String value, StringMatcher presence) {
		if (value.equals("*")) {
			return presence;
		}
		if (value.startsWith("*")) {
			return new Suffix(value.substring(1));
		}
		if (value.endsWith("*")) {
			return new Prefix(value.substring(0, value.length() - 1));
		}
		return new Exact(value);
	}

	/**
	 * Compiles a value like {@link #of} but comparing case-insensitively, for
	 * {@code hosts} (§3.8).
	 * @param value the policy value
	 * @return the matcher
	 */
	static StringMatcher ignoringCase(String value) {
		if (value.equals("*")) {
			return PRESENT;
		}
		if (value.startsWith("*")) {
			return new SuffixIgnoringCase(value.substring(1));
		}
		if (value.endsWith("*")) {
			return new PrefixIgnoringCase(value.substring(0, value.length() - 1));
		}
		return new ExactIgnoringCase(value);
	}

	/** Matches any value that is there, even an empty one (header presence, §8 D10). */
	StringMatcher PRESENT = new StringMatcher() {

		@Override
		public boolean matches(String value) {
			return true;
		}

		@Override
		public String toString() {
			return "present";
		}

	};

	/** Matches any non-empty value (the regex {@code .+}). */
	StringMatcher NON_EMPTY = new StringMatcher() {

		@Override
		public boolean matches(String value) {
			return !value.isEmpty();
		}

		@Override
		public String toString() {
			return "non-empty";
		}

	};

	/** Equal to the text. */
	record Exact(String text) implements StringMatcher {

		@Override
		public boolean matches(String value) {
			return value.equals(this.text);
		}

	}

	/** Starts with the text. */
	record Prefix(String text) implements StringMatcher {

		@Override
		public boolean matches(String value) {
			return value.startsWith(this.text);
		}

	}

	/** Ends with the text. */
	record Suffix(String text) implements StringMatcher {

		@Override
		public boolean matches(String value) {
			return value.endsWith(this.text);
		}

	}

	/** Equal to the text, ignoring case. */
	record ExactIgnoringCase(String text) implements StringMatcher {

		@Override
		public boolean matches(String value) {
			return value.equalsIgnoreCase(this.text);
		}

	}

	/** Starts with the text, ignoring case. */
	record PrefixIgnoringCase(String text) implements StringMatcher {

		@Override
		public boolean matches(String value) {
			return value.regionMatches(true, 0, this.text, 0, this.text.length());
		}

	}

	/** Ends with the text, ignoring case. */
	record SuffixIgnoringCase(String text) implements StringMatcher {

		public SuffixIgnoringCase {
			text = text.toLowerCase(Locale.ROOT);
		}

		@Override
		public boolean matches(String value) {
			int start = value.length() - this.text.length();
			return start >= 0 && value.regionMatches(true, start, this.text, 0, this.text.length());
		}

	}

	/** A compiled {@link PathTemplate}. */
	record Template(PathTemplate template) implements StringMatcher {

		@Override
		public boolean matches(String value) {
			return this.template.matches(value);
		}

	}

}
