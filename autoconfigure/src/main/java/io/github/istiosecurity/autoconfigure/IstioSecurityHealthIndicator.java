package io.github.istiosecurity.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.KeySetStatus;
import io.github.istiosecurity.internal.load.PolicyProblem;
import io.github.istiosecurity.internal.runtime.ActivePolicies;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.runtime.RejectedChange;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of the starter's inputs: the policy sources and the remote JWT key sets.
 * <p>
 * A key set that could not be fetched and has no keys makes the application DOWN, naming
 * the issuer and the reason: every token of that issuer is rejected until a fetch
 * succeeds. A key set whose refresh fails while keys fetched earlier are still in use
 * leaves it UP with a warning (tokens still verify, for at most the outage tolerance). A
 * rejected policy change leaves it UP with a warning too: the last good policies stay in
 * force and decide correctly, and taking the application out of service would not bring
 * the change in.
 */
public final class IstioSecurityHealthIndicator implements HealthIndicator {

	private static final int PROBLEMS_SHOWN = 10;

	private final PolicyRuntime runtime;

	private final JwksKeySources keySources;

	/**
	 * Creates the indicator.
	 * @param runtime the policies in force
	 * @param keySources the key sets
	 */
	public IstioSecurityHealthIndicator(PolicyRuntime runtime, JwksKeySources keySources) {
		this.runtime = runtime;
		this.keySources = keySources;
	}

	@Override
	public Health health() {
		boolean down = false;
		boolean warning = false;
		Map<String, Object> policies = new LinkedHashMap<>();
		ActivePolicies active = this.runtime.current();
		policies.put("generation", active.generation());
		policies.put("appliedAt", active.appliedAt().toString());
		RejectedChange rejection = this.runtime.rejectedChange();
		if (rejection == null) {
			policies.put("status", "ok");
		}
		else {
			warning = true;
			policies.put("status", "failing");
			policies.put("warning", "the last policy change was rejected; the policies of generation "
					+ active.generation() + " stay in force");
			policies.put("rejectedAt", rejection.at().toString());
			policies.put("problemCount", rejection.problems().size());
			policies.put("problems",
					rejection.problems().stream().limit(PROBLEMS_SHOWN).map(PolicyProblem::toString).toList());
		}
		Map<String, Object> keySets = new LinkedHashMap<>();
		for (KeySetStatus status : this.keySources.status()) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("location", status.location());
			if (status.fetchedAt() != null) {
				detail.put("fetchedAt", String.valueOf(status.fetchedAt()));
			}
			String state = status.state();
			detail.put("status", state);
			if (state.equals("failing")) {
				warning = true;
				detail.put("warning", "the key set cannot be refreshed; the keys fetched before are still in use");
			}
			down |= state.equals("down");
			if (status.failing()) {
				detail.put("reason", String.valueOf(status.lastFailure()));
				detail.put("failedAt", String.valueOf(status.lastFailureAt()));
			}
			String name = keySets.containsKey(status.issuer()) ? status.issuer() + " (" + status.location() + ")"
					: status.issuer();
			keySets.put(name, detail);
		}
		Health.Builder health = down ? Health.down() : Health.up();
		if (warning && !down) {
			health.withDetail("warning", "see the failing entries");
		}
		return health.withDetail("policies", policies).withDetail("jwks", keySets).build();
	}

}
