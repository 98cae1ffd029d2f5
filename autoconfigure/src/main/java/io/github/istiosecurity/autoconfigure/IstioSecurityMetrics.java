package io.github.istiosecurity.autoconfigure;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.PolicyRef;
import io.github.istiosecurity.authz.RuleRef;
import io.github.istiosecurity.internal.jwt.JwtFailureReason;
import io.github.istiosecurity.internal.jwt.JwtOutcome;
import io.github.istiosecurity.internal.jwt.KeyFetchListener;
import io.github.istiosecurity.internal.web.InboundObserver;
import io.github.istiosecurity.internal.web.LocalReply;
import io.github.istiosecurity.model.Action;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The starter's Micrometer meters: decisions by outcome and deciding policy, dry-run
 * shadow results, JWT rejections by reason, key-set fetches by issuer and outcome, and
 * the time a decision takes. Every tag value comes from a bounded set (fixed words,
 * configured issuers, loaded policies); no path, principal or token is ever a tag. Meters
 * are registered once and kept, so recording a request builds no tags and concatenates no
 * strings: the meters of a policy are found by the identity of its compiled
 * {@link PolicyRef}.
 */
public final class IstioSecurityMetrics implements InboundObserver, KeyFetchListener {

	/**
	 * Requests by outcome ({@code allowed}, {@code denied}, {@code refused},
	 * {@code rejected}).
	 */
	public static final String DECISIONS = "istio.security.decisions";

	/** What the dry-run policies would have decided. */
	public static final String DRY_RUN = "istio.security.dryrun";

	/** Tokens rejected by RequestAuthentication, by reason. */
	public static final String JWT_FAILURES = "istio.security.jwt.failures";

	/** Background key-set fetches, by issuer and outcome. */
	public static final String JWKS_FETCHES = "istio.security.jwks.fetches";

	/**
	 * How long deciding took (CUSTOM step, or AUDIT, DENY and ALLOW), for a random sample
	 * of one decision in {@value InboundObserver#TIMING_SAMPLE}: its count is the
	 * sample's size, {@value #DECISIONS} counts them all.
	 */
	public static final String DECISION_TIMER = "istio.security.decision";

	/**
	 * The {@code policy} tag of a decision no policy's rule made (default allow or deny).
	 */
	static final String NO_POLICY = "none";

	/**
	 * Policy meters kept before the identity cache is started afresh (reloads create new
	 * references).
	 */
	private static final int CACHE_LIMIT = 1024;

	private final MeterRegistry registry;

	/**
	 * Decisions timed and their total time: two adders, read by a {@link FunctionTimer}
	 * when published.
	 */
	private final LongAdder timed = new LongAdder();

	private final LongAdder timedNanos = new LongAdder();

	private final Counter refused;

	private final Counter rejected;

	private final Counter allowedByDefault;

	private final Counter deniedByDefault;

	private final Counter[] dryRunNoRule;

	/**
	 * By {@link JwtFailureReason#ordinal()}: one counter for every reason, registered up
	 * front.
	 */
	private final Counter[] jwtFailures = new Counter[JwtFailureReason.values().length];

	private final Map<String, Counter[]> fetches = new ConcurrentHashMap<>();

	/** Copy on write: read without a lock on every decision. */
	private volatile Map<PolicyRef, Counter[]> policies = new IdentityHashMap<>();

	/**
	 * Registers the meters that do not depend on the policies.
	 * @param registry the registry
	 */
	public IstioSecurityMetrics(MeterRegistry registry) {
		this.registry = registry;
		// A FunctionTimer over two adders: no window maximum or histogram (and the
		// wall-clock read it needs) on
		// the request thread; count, total and mean are what a per-decision cost needs.
		FunctionTimer
			.builder(DECISION_TIMER, this, (metrics) -> metrics.timed.sum(), (metrics) -> metrics.timedNanos.sum(),
					TimeUnit.NANOSECONDS)
			.description("Time to decide a request on the policies in force")
			.register(registry);
		this.refused = decisions("refused", "NONE", NO_POLICY);
		this.rejected = decisions("rejected", "NONE", NO_POLICY);
		this.allowedByDefault = decisions("allowed", "NONE", NO_POLICY);
		this.deniedByDefault = decisions("denied", "NONE", NO_POLICY);
		this.dryRunNoRule = new Counter[] { dryRun("allowed", Action.ALLOW.name(), NO_POLICY),
				dryRun("denied", Action.ALLOW.name(), NO_POLICY), dryRun("allowed", Action.DENY.name(), NO_POLICY),
				dryRun("denied", Action.DENY.name(), NO_POLICY) };
		for (JwtFailureReason reason : JwtFailureReason.values()) {
			this.jwtFailures[reason.ordinal()] = Counter.builder(JWT_FAILURES)
				.description("Tokens rejected by RequestAuthentication")
				.tag("reason", reason.tag())
				.register(registry);
		}
	}

	@Override
	public void refused(LocalReply reply) {
		this.refused.increment();
	}

	@Override
	public void jwtRejected(JwtOutcome outcome) {
		this.rejected.increment();
		JwtFailureReason reason = outcome.failureReason();
		if (reason != null) {
			this.jwtFailures[reason.ordinal()].increment();
		}
	}

	@Override
	public void decided(Decision decision, long nanos) {
		if (nanos >= 0) {
			this.timed.increment();
			this.timedNanos.add(nanos);
		}
		RuleRef rule = decision.rule();
		if (rule == null) {
			(decision.allowed() ? this.allowedByDefault : this.deniedByDefault).increment();
		}
		else {
			policyMeters(rule.policy())[decision.allowed() ? 0 : 1].increment();
		}
		Decision.ShadowResult allow = decision.dryRunAllow();
		if (allow != null) {
			shadow(allow, 0);
		}
		Decision.ShadowResult deny = decision.dryRunDeny();
		if (deny != null) {
			shadow(deny, 2);
		}
	}

	private void shadow(Decision.ShadowResult result, int noRuleOffset) {
		RuleRef rule = result.rule();
		int index = result.denied() ? 1 : 0;
		if (rule == null) {
			this.dryRunNoRule[noRuleOffset + index].increment();
		}
		else {
			policyMeters(rule.policy())[index].increment();
		}
	}

	@Override
	public void fetched(String issuer, boolean success) {
		Counter[] counters = this.fetches.computeIfAbsent(issuer,
				(name) -> new Counter[] { fetches(name, "success"), fetches(name, "failure") });
		counters[success ? 0 : 1].increment();
	}

	/**
	 * The allowed and denied counters of a policy: {@value #DECISIONS} for an enforced
	 * policy, {@value #DRY_RUN} (would-be results) for a dry-run one.
	 */
	private Counter[] policyMeters(PolicyRef policy) {
		Counter[] meters = this.policies.get(policy);
		return (meters != null) ? meters : register(policy);
	}

	private synchronized Counter[] register(PolicyRef policy) {
		Map<PolicyRef, Counter[]> current = this.policies;
		Counter[] meters = current.get(policy);
		if (meters != null) {
			return meters;
		}
		String name = policy.qualifiedName();
		String action = policy.action().name();
		meters = policy.dryRun() ? new Counter[] { dryRun("allowed", action, name), dryRun("denied", action, name) }
				: new Counter[] { decisions("allowed", action, name), decisions("denied", action, name) };
		Map<PolicyRef, Counter[]> next = (current.size() < CACHE_LIMIT) ? new IdentityHashMap<>(current)
				: new IdentityHashMap<>();
		next.put(policy, meters);
		this.policies = next;
		return meters;
	}

	private Counter decisions(String outcome, String action, String policy) {
		return Counter.builder(DECISIONS)
			.description("Requests by how the Istio policies decided them")
			.tag("outcome", outcome)
			.tag("action", action)
			.tag("policy", policy)
			.register(this.registry);
	}

	private Counter dryRun(String result, String action, String policy) {
		return Counter.builder(DRY_RUN)
			.description("What the dry-run policies would have decided")
			.tag("result", result)
			.tag("action", action)
			.tag("policy", policy)
			.register(this.registry);
	}

	private Counter fetches(String issuer, String outcome) {
		return Counter.builder(JWKS_FETCHES)
			.description("Background fetches of JWT key sets")
			.tag("issuer", issuer)
			.tag("outcome", outcome)
			.register(this.registry);
	}

}
