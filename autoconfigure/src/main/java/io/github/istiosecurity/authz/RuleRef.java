package io.github.istiosecurity.authz;

/**
 * Names one rule of a policy: what a decision reports as the reason.
 *
 * @param policy the policy
 * @param index the rule's index in {@code spec.rules}
 */
public record RuleRef(PolicyRef policy, int index) {

	/**
	 * Returns Envoy's RBAC policy id,
	 * {@code ns[<namespace>]-policy[<name>]-rule[<index>]}, the id that Istio's dry-run
	 * logs and metrics report (§1.2).
	 * @return the rule id
	 */
	public String ruleId() {
		return "ns[" + this.policy.namespace() + "]-policy[" + this.policy.name() + "]-rule[" + this.index + "]";
	}

	@Override
	public String toString() {
		return this.policy.qualifiedName() + " rule " + this.index;
	}

}
