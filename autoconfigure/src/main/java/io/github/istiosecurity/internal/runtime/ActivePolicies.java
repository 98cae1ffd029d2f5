package io.github.istiosecurity.internal.runtime;

import java.time.Instant;
import java.util.List;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.PeerAuthenticationModes;
import io.github.istiosecurity.internal.authz.engine.AuthorizationRules;
import io.github.istiosecurity.internal.jwt.JwtAuthenticator;
import io.github.istiosecurity.internal.load.PolicyProblem;

/**
 * The policies in force: what was compiled for this workload and the JWT authenticator of
 * the same RequestAuthentications. A reload replaces it whole, so a request reads it once
 * and uses it for every step; the decision reads only {@link #authorization()}, the mTLS
 * step only {@link #peerAuthentication()}.
 *
 * @param compiled the compiled policies
 * @param jwt the JWT authenticator for the compiled JWT rules
 * @param generation increases by one with every applied change
 * @param appliedAt when these policies were put in force
 * @param warnings lint warnings of the loaded documents
 */
public record ActivePolicies(CompiledPolicies compiled, JwtAuthenticator jwt, long generation, Instant appliedAt,
		List<PolicyProblem> warnings) {

	public ActivePolicies {
		warnings = List.copyOf(warnings);
	}

	/**
	 * Returns the authorization rules the decision reads.
	 * @return the rules
	 */
	public AuthorizationRules authorization() {
		return this.compiled.authorization();
	}

	/**
	 * Returns the effective mTLS modes.
	 * @return the modes
	 */
	public PeerAuthenticationModes peerAuthentication() {
		return this.compiled.peerAuthentication();
	}

}
