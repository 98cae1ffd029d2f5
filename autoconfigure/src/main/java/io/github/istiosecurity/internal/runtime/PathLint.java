package io.github.istiosecurity.internal.runtime;

import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.authz.match.PathTemplate;
import org.jspecify.annotations.Nullable;

/**
 * Finds {@code paths}/{@code notPaths} values that no request path can equal (or start
 * with, or end with) once the path normalization in force has run (§3.8, §5). The test is
 * honest and simple: the literal part of the value is normalized like a request path;
 * when the result differs or is refused, no normalized request path is ever that literal.
 * Templates ({@code {*}}, {@code {**}}) are left to Istio's validation.
 */
final class PathLint {

	private static final String PROPERTY = "istio.security.path-normalization";

	private final PathNormalizer normalizer;

	PathLint(PathNormalizer normalizer) {
		this.normalizer = normalizer;
	}

	/**
	 * Returns why a value can never match, or {@code null} when it can.
	 * @param value a {@code paths} or {@code notPaths} value
	 * @return the reason, or {@code null}
	 */
	@Nullable String neverMatches(String value) {
		if (value.equals("*") || PathTemplate.isTemplate(value)) {
			return null;
		}
		boolean suffix = value.startsWith("*");
		boolean prefix = !suffix && value.endsWith("*");
		String literal = suffix ? value.substring(1) : prefix ? value.substring(0, value.length() - 1) : value;
		String quoted = "\"" + value + "\"";
		int cut = firstQueryOrFragment(literal);
		if (cut >= 0) {
			return quoted + " can never match: paths are matched without the query string and fragment, so no "
					+ "request path contains '" + literal.charAt(cut) + "'";
		}
		if (suffix) {
			// the end of a path can be anything its normalization leaves; only a raw
			// backslash never survives it
			if (literal.indexOf('\\') >= 0 && this.normalizer.normalization() != PathNormalization.NONE) {
				return quoted + " can never match: path normalization " + this.normalizer.normalization() + " ("
						+ PROPERTY + ") turns every '\\' of a request path into '/'";
			}
			return null;
		}
		if (!literal.startsWith("/")) {
			return quoted + " can never match: every request path starts with '/'";
		}
		// a prefix is probed with a following character, so that a trailing "." or "%2"
		// is read as part of a name
		String probe = prefix ? literal + "x" : literal;
		String normalized = this.normalizer.normalize(probe);
		if (normalized == null) {
			return quoted + " can never match: a request with this path is refused (400) before authorization; "
					+ "characters outside '!'..'~' arrive percent-encoded";
		}
		if (normalized.equals(probe)) {
			return null;
		}
		String becomes = (prefix && normalized.endsWith("x")) ? normalized.substring(0, normalized.length() - 1)
				: normalized;
		return quoted + " can never match: path normalization " + this.normalizer.normalization() + " (" + PROPERTY
				+ ") makes a request path \"" + literal
				+ (prefix ? "...\" into \"" + becomes + "...\"" : "\" into \"" + becomes + "\"")
				+ ", so no path the policies see " + (prefix ? "starts with" : "is") + " \"" + literal + "\"";
	}

	private static int firstQueryOrFragment(String literal) {
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			if (c == '?' || c == '#') {
				return i;
			}
		}
		return -1;
	}

}
