package io.github.istiosecurity.internal.runtime;

import java.time.Instant;
import java.util.List;

import io.github.istiosecurity.internal.authz.engine.PolicySnapshot;
import io.github.istiosecurity.internal.jwt.JwtAuthenticator;
import io.github.istiosecurity.internal.load.PolicyProblem;

/**
 * One consistent set of policies in force: the compiled authorization snapshot and the JWT authenticator of
 * the same RequestAuthentications. A request reads it once and uses it for every step.
 *
 * @param snapshot the compiled policies
 * @param jwt the JWT authenticator for the snapshot's merged JWT rules
 * @param generation increases by one with every applied change
 * @param appliedAt when this set was put in force
 * @param warnings lint warnings of the loaded documents
 */
public record ActivePolicies(PolicySnapshot snapshot, JwtAuthenticator jwt, long generation, Instant appliedAt,
		List<PolicyProblem> warnings) {

	public ActivePolicies {
		warnings = List.copyOf(warnings);
	}

}
