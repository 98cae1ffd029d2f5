package io.github.istiosecurity.internal.authz.match;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A {@code paths} value with {@code {*}} or {@code {**}} operators, matched as Envoy's
 * URI template without a regular expression (§3.12): {@code {*}} is exactly one non-empty
 * path segment, {@code {**}} (the last operator) any number of characters including
 * {@code /}, possibly none; everything else is literal; the whole path must match.
 */
public final class PathTemplate {

	private static final String ONE = "{*}";

	private static final String ANY = "{**}";

	/**
	 * Literal text before each operator, in order; the last element is the text after the
	 * last operator.
	 */
	private final String[] literals;

	/**
	 * The operator after {@code literals[i]}: true for {@code {**}}, false for
	 * {@code {*}}.
	 */
	private final boolean[] anyOperators;

	private final String text;

	private PathTemplate(String[] literals, boolean[] anyOperators, String text) {
		this.literals = literals;
		this.anyOperators = anyOperators;
		this.text = text;
	}

	/**
	 * Whether a {@code paths} value is to be read as a template, i.e. contains
	 * {@code {*}} or {@code {**}}.
	 * @param path the value
	 * @return whether it is a template
	 */
	public static boolean isTemplate(String path) {
		return path.contains(ONE) || path.contains(ANY);
	}

	/**
	 * Checks a {@code paths}/{@code notPaths} value as Istio's validation does.
	 * @param path the value
	 * @param field {@code Paths} or {@code NotPaths}, for the message
	 * @return the error message, or {@code null} when the value is acceptable
	 */
	public static @Nullable String validate(String path, String field) {
		if (path.indexOf('{') < 0 && path.indexOf('}') < 0) {
			return null;
		}
		String shown = path.startsWith("/") ? path.substring(1) : path;
		String prefix = "invalid or unsupported path " + shown + ", found in " + field + ". ";
		boolean seenAny = false;
		for (String segment : path.split("/", -1)) {
			if (segment.equals(ONE) || segment.equals(ANY)) {
				if (seenAny) {
					return prefix + "{**} is not the last operator";
				}
				seenAny = segment.equals(ANY);
			}
			else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
				return prefix + "Contains '{' or '}' beyond a supported path template";
			}
			else if (!isLiteral(segment)) {
				return prefix + "Contains segment " + segment + " with invalid string literal";
			}
		}
		return null;
	}

	/**
	 * Compiles a template that {@link #validate} accepted.
	 * @param template the template
	 * @return the compiled template
	 */
	public static PathTemplate compile(String template) {
		List<String> literals = new ArrayList<>();
		List<Boolean> operators = new ArrayList<>();
		StringBuilder literal = new StringBuilder();
		String[] segments = template.split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			if (i > 0) {
				literal.append('/');
			}
			String segment = segments[i];
			if (segment.equals(ONE) || segment.equals(ANY)) {
				literals.add(literal.toString());
				operators.add(segment.equals(ANY));
				literal.setLength(0);
			}
			else {
				literal.append(segment);
			}
		}
		literals.add(literal.toString());
		boolean[] anyOperators = new boolean[operators.size()];
		for (int i = 0; i < anyOperators.length; i++) {
			anyOperators[i] = operators.get(i);
		}
		return new PathTemplate(literals.toArray(String[]::new), anyOperators, template);
	}

	/**
	 * Whether the whole (normalized, query-less) path matches the template.
	 * @param path the path
	 * @return whether it matches
	 */
	public boolean matches(String path) {
		int position = 0;
		for (int i = 0; i < this.anyOperators.length; i++) {
			String literal = this.literals[i];
			if (!path.startsWith(literal, position)) {
				return false;
			}
			position += literal.length();
			if (this.anyOperators[i]) {
				// {**} is the last operator: the rest is [pchar/]* followed by the final
				// literal
				String tail = this.literals[i + 1];
				int tailStart = path.length() - tail.length();
				if (tailStart < position || !path.startsWith(tail, tailStart)) {
					return false;
				}
				return allPathChars(path, position, tailStart, true);
			}
			// {*} is a whole segment: one or more pchars up to the next '/' or the end
			int end = path.indexOf('/', position);
			if (end < 0) {
				end = path.length();
			}
			if (end == position || !allPathChars(path, position, end, false)) {
				return false;
			}
			position = end;
		}
		String last = this.literals[this.literals.length - 1];
		return path.length() - position == last.length() && path.startsWith(last, position);
	}

	private static boolean isLiteral(String segment) {
		return allPathChars(segment, 0, segment.length(), false);
	}

	private static boolean allPathChars(String text, int from, int to, boolean slashAllowed) {
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (!(isPathChar(c) || (slashAllowed && c == '/'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * RFC 3986 pchar without the percent-encoding structure: what Envoy's template
	 * operators accept.
	 */
	private static boolean isPathChar(char c) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			return true;
		}
		return switch (c) {
			case '-', '.', '_', '~', '%', '!', '$', '&', '\'', '(', ')', '+', ',', ';', ':', '@', '=' -> true;
			default -> false;
		};
	}

	@Override
	public String toString() {
		return this.text;
	}

}
