package io.github.istiosecurity.authz.engine;

/**
 * One rule ready to evaluate: its matcher and what to report when it matches.
 *
 * @param ref the policy and rule index
 * @param matcher the rule's {@code from} AND {@code to} AND {@code when}
 */
public record CompiledRule(RuleRef ref, RequestMatcher matcher) {

	/**
	 * Returns the first rule that matches, in order.
	 * @param rules the rules
	 * @param request the request
	 * @return the matching rule, or {@code null}
	 */
	static @org.jspecify.annotations.Nullable CompiledRule firstMatch(CompiledRule[] rules,
			RequestAttributes request) {
		for (CompiledRule rule : rules) {
			if (rule.matcher.matches(request)) {
				return rule;
			}
		}
		return null;
	}

}
