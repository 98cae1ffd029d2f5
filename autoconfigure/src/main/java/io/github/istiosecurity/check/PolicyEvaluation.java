package io.github.istiosecurity.check;

import java.util.List;

import io.github.istiosecurity.model.Action;
import org.jspecify.annotations.Nullable;

/**
 * Whether one AuthorizationPolicy that applies to the workload matched a request, and
 * why.
 *
 * @param name {@code namespace/name}
 * @param action the policy's action
 * @param dryRun whether the policy only reports what it would do (§3.16)
 * @param provider the extension provider of a CUSTOM policy, else {@code null}
 * @param matched whether one of its rules matched
 * @param rule the rule that matched first (in Envoy's order), or {@code null}
 * @param why one sentence: the matching rule and what matched, or why no rule did
 * @param rules every rule's result
 */
public record PolicyEvaluation(String name, Action action, boolean dryRun, @Nullable String provider, boolean matched,
		@Nullable Integer rule, String why, List<RuleEvaluation> rules) {

	public PolicyEvaluation {
		rules = List.copyOf(rules);
	}

}
