package io.github.istiosecurity.authz.engine;

import org.jspecify.annotations.Nullable;

/**
 * One rule ready to evaluate: its matcher, what to report when it matches, and, when the rule can only match
 * paths that start with known literals, those literals (they let {@link RuleSet} skip it for other paths).
 *
 * @param ref the policy and rule index
 * @param matcher the rule's {@code to} AND {@code from} AND {@code when}
 * @param pathPrefixes literals one of which every path the rule matches starts with, or {@code null} when the
 * rule may match any path
 */
public record CompiledRule(RuleRef ref, RequestMatcher matcher, String @Nullable [] pathPrefixes) {

	/**
	 * Creates a rule that may match any path.
	 * @param ref the policy and rule index
	 * @param matcher the matcher
	 */
	public CompiledRule(RuleRef ref, RequestMatcher matcher) {
		this(ref, matcher, null);
	}

}
