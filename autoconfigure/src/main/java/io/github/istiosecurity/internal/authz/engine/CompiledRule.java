package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.RuleRef;

import org.jspecify.annotations.Nullable;

/**
 * One rule ready to evaluate: its matcher, what to report when it matches, and literals
 * one of which every path it matches starts with. They let {@link RuleSet} skip the rule
 * for other paths; other exact values the rule needs (a method, a request principal, a
 * header, a claim) {@link RuleSet} reads off the matcher itself.
 *
 * @param ref the policy and rule index
 * @param matcher the rule's {@code to} AND {@code from} AND {@code when}
 * @param pathPrefixes path prefixes, or {@code null} when the rule may match any path
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
