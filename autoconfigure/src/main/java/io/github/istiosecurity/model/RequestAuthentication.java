package io.github.istiosecurity.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A {@code RequestAuthentication} (§2): which JWTs the workload accepts.
 *
 * @param apiVersion the API version
 * @param metadata the metadata
 * @param origin where it was read from
 * @param selector the workload selector, or {@code null}
 * @param targetRefs the target references, empty when absent
 * @param jwtRules the JWT rules; empty when absent
 */
public record RequestAuthentication(String apiVersion, ObjectMeta metadata, PolicyOrigin origin,
		@Nullable WorkloadSelector selector, List<PolicyTargetReference> targetRefs,
		List<JwtRule> jwtRules) implements IstioPolicy {

	public RequestAuthentication {
		targetRefs = List.copyOf(targetRefs);
		jwtRules = List.copyOf(jwtRules);
	}

	@Override
	public PolicyKind kind() {
		return PolicyKind.REQUEST_AUTHENTICATION;
	}

}
