package io.github.istiosecurity.model;

import java.util.List;

/**
 * A rule of an {@link AuthorizationPolicy}: it matches when some {@code from} source
 * matches (or there is none), some {@code to} operation matches (or there is none) and
 * every {@code when} condition matches (§3.5).
 *
 * @param from the sources (each the {@code source} of a {@code from} element), ORed;
 * empty = any source
 * @param to the operations (each the {@code operation} of a {@code to} element), ORed;
 * empty = any operation
 * @param when the conditions, ANDed
 */
public record Rule(List<Source> from, List<Operation> to, List<Condition> when) {

	/** The empty rule {@code {}}, which matches every request. */
	public static final Rule ANY = new Rule(List.of(), List.of(), List.of());

	public Rule {
		from = List.copyOf(from);
		to = List.copyOf(to);
		when = List.copyOf(when);
	}

}
