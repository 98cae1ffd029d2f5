package io.github.istiosecurity.internal.authz.compile;

import java.util.List;

import io.github.istiosecurity.internal.authz.engine.RequestMatcher;

/**
 * One rule taken apart for an explanation: its {@code to}, {@code from} and {@code when}
 * entries, each with one compiled matcher per field. The matchers are the ones the
 * decision uses, compiled by the same code, so an explanation never disagrees with the
 * decision it explains. Built only on demand (diagnostics), never on a request's path.
 *
 * @param index the rule's index in {@code spec.rules}
 * @param dropped whether an ALLOW rule is dropped whole because one of its values cannot
 * be used (§3.15)
 * @param to the operations; the rule needs one of them to match, unless there are none
 * @param from the sources; the rule needs one of them to match, unless there are none
 * @param when the conditions; the rule needs all of them to match
 */
public record RuleAnatomy(int index, boolean dropped, List<Entry> to, List<Entry> from, List<Entry> when) {

	public RuleAnatomy {
		to = List.copyOf(to);
		from = List.copyOf(from);
		when = List.copyOf(when);
	}

	/**
	 * One {@code to}, {@code from} or {@code when} entry: it matches when all its fields
	 * do.
	 *
	 * @param label where it is in the rule, e.g. {@code to[0].operation} or
	 * {@code when[1]}
	 * @param fields its fields
	 */
	public record Entry(String label, List<Field> fields) {

		public Entry {
			fields = List.copyOf(fields);
		}

	}

	/**
	 * One half of a field: its values (e.g. {@code paths}), or its not-values (e.g.
	 * {@code notPaths}).
	 *
	 * @param name the attribute: a field name such as {@code paths}, or a {@code when}
	 * key
	 * @param negated whether these are the not-values, matching when none of them does
	 * @param values the policy's values, as written
	 * @param matcher the compiled test, negation included
	 */
	public record Field(String name, boolean negated, List<String> values, RequestMatcher matcher) {

		public Field {
			values = List.copyOf(values);
		}

		/**
		 * Returns the field's name as written in the policy: {@code paths},
		 * {@code notPaths}, or for a {@code when} condition {@code values} /
		 * {@code notValues}.
		 * @param condition whether the field belongs to a {@code when} entry
		 * @return the written name
		 */
		public String writtenName(boolean condition) {
			if (condition) {
				return this.negated ? "notValues" : "values";
			}
			return this.negated ? "not" + Character.toUpperCase(this.name.charAt(0)) + this.name.substring(1)
					: this.name;
		}

	}

}
