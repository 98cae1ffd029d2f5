package io.github.istiosecurity.internal.authz.compile;

import java.util.List;

import io.github.istiosecurity.internal.authz.engine.AuthorizationRules;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.JwtRule;

/**
 * What {@link PolicyCompiler} makes of the policies read, for one workload, immutable:
 * three independent parts (the authorization rules the decision reads, the merged JWT
 * rules, the mTLS modes) and the record of which policies apply and which do not. A
 * reload compiles a new one and the runtime swaps it in whole.
 *
 * @param authorization the AuthorizationPolicies, compiled
 * @param jwtRules the JWT rules of every applicable RequestAuthentication, merged and
 * sorted by issuer (§2.3)
 * @param peerAuthentication the effective mTLS modes (§4.3)
 * @param appliedPolicies the policies that apply to this workload, in evaluation order
 * @param ignoredPolicies the policies that were read but do not apply, with the reason
 */
public record CompiledPolicies(AuthorizationRules authorization, List<JwtRule> jwtRules,
		PeerAuthenticationModes peerAuthentication, List<IstioPolicy> appliedPolicies,
		List<IgnoredPolicy> ignoredPolicies) {

	public CompiledPolicies {
		jwtRules = List.copyOf(jwtRules);
		appliedPolicies = List.copyOf(appliedPolicies);
		ignoredPolicies = List.copyOf(ignoredPolicies);
	}

	/**
	 * No policy at all: every request is allowed, no JWT is processed, mTLS is
	 * PERMISSIVE.
	 * @return the empty policies
	 */
	public static CompiledPolicies empty() {
		return new CompiledPolicies(AuthorizationRules.empty(), List.of(), PeerAuthenticationModes.DEFAULT, List.of(),
				List.of());
	}

	/**
	 * A policy that was read but does not apply here.
	 *
	 * @param policy the policy
	 * @param reason why it does not apply
	 */
	public record IgnoredPolicy(IstioPolicy policy, String reason) {
	}

}
