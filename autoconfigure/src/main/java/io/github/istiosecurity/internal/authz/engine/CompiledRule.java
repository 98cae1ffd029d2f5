package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.RuleRef;

import org.jspecify.annotations.Nullable;

/**
 * One rule ready to evaluate: its matcher, what to report when it matches, and what the
 * rule needs of the request line: literals one of which every matched path starts with,
 * or else the exact methods it can match. They let {@link RuleSet} skip the rule for
 * other requests.
 *
 * @param ref the policy and rule index
 * @param matcher the rule's {@code to} AND {@code from} AND {@code when}
 * @param pathPrefixes path prefixes, or {@code null} when the rule may match any path
 * @param methods exact methods, or {@code null} when the rule may match any method
 */
public record CompiledRule(RuleRef ref, RequestMatcher matcher, String @Nullable [] pathPrefixes,
		String @Nullable [] methods) {

	/**
	 * Creates a rule that may match any request line.
	 * @param ref the policy and rule index
	 * @param matcher the matcher
	 */
	public CompiledRule(RuleRef ref, RequestMatcher matcher) {
		this(ref, matcher, null, null);
	}

}
