package io.github.istiosecurity.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An {@code AuthorizationPolicy} (§3).
 *
 * @param apiVersion the API version
 * @param metadata the metadata
 * @param origin where it was read from
 * @param selector the workload selector, or {@code null}
 * @param targetRefs the target references, empty when absent
 * @param action the action ({@link Action#ALLOW} when absent)
 * @param provider {@code provider.name} for CUSTOM policies, or {@code null}
 * @param rules the rules; empty when absent (an ALLOW policy without rules matches
 * nothing)
 */
public record AuthorizationPolicy(String apiVersion, ObjectMeta metadata, PolicyOrigin origin,
		@Nullable WorkloadSelector selector, List<PolicyTargetReference> targetRefs, Action action,
		@Nullable String provider, List<Rule> rules) implements IstioPolicy {

	public AuthorizationPolicy {
		targetRefs = List.copyOf(targetRefs);
		rules = List.copyOf(rules);
	}

	@Override
	public PolicyKind kind() {
		return PolicyKind.AUTHORIZATION_POLICY;
	}

	/**
	 * Whether the {@code istio.io/dry-run} annotation parses as true (Go's
	 * {@code strconv.ParseBool}).
	 * @return whether this policy is evaluated only as a shadow
	 */
	public boolean dryRun() {
		String value = this.metadata.annotations().get(ObjectMeta.DRY_RUN_ANNOTATION);
		return value != null && switch (value) {
			case "1", "t", "T", "TRUE", "true", "True" -> true;
			default -> false;
		};
	}

}
