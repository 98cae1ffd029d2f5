package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.PolicyRef;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.authz.RuleRef;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.JwtRule;
import io.github.istiosecurity.model.MtlsMode;
import org.jspecify.annotations.Nullable;

/**
 * Everything that applies to this workload, compiled and immutable: the authorization rules by action, the
 * merged JWT rules and the effective mTLS modes. A reload builds a new snapshot and swaps it in whole, so a
 * request is always decided by one consistent set; adapters read {@link PolicyEngine#current()} once per
 * request and use that snapshot for every step.
 */
public final class PolicySnapshot {

	private final RuleSet custom;

	private final String[] customProviders;

	private final Map<String, ExtensionAuthorizer> authorizers;

	private final boolean multipleCustomProviders;

	private final RuleSet audit;

	private final RuleSet deny;

	private final RuleSet allow;

	private final RuleSet dryRunDeny;

	private final RuleSet dryRunAllow;

	private final Decision[] denyDecisions;

	private final Decision[] allowDecisions;

	private final int allowPolicyCount;

	private final Decision noAllowPolicy;

	private final Decision noAllowRuleMatched;

	private final List<JwtRule> jwtRules;

	private final MtlsMode mtlsMode;

	private final Map<Integer, MtlsMode> portLevelMtls;

	private final List<IstioPolicy> appliedPolicies;

	private final List<IgnoredPolicy> ignoredPolicies;

	private PolicySnapshot(Builder builder) {
		this.custom = new RuleSet(builder.custom);
		this.customProviders = builder.customProviders.toArray(String[]::new);
		this.authorizers = Map.copyOf(builder.authorizers);
		this.multipleCustomProviders = new HashSet<>(builder.customProviders).size() > 1;
		this.audit = new RuleSet(builder.audit);
		this.deny = new RuleSet(builder.deny);
		this.allow = new RuleSet(builder.allow);
		this.dryRunDeny = new RuleSet(builder.dryRunDeny);
		this.dryRunAllow = new RuleSet(builder.dryRunAllow);
		this.allowPolicyCount = builder.allowPolicies.size();
		this.denyDecisions = new Decision[this.deny.size()];
		for (int i = 0; i < this.deny.size(); i++) {
			this.denyDecisions[i] = Decision.of(Decision.Reason.DENIED_BY_RULE, this.deny.get(i).ref(), 0);
		}
		this.allowDecisions = new Decision[this.allow.size()];
		for (int i = 0; i < this.allow.size(); i++) {
			this.allowDecisions[i] = Decision.of(Decision.Reason.ALLOWED_BY_RULE, this.allow.get(i).ref(), 0);
		}
		this.noAllowPolicy = Decision.of(Decision.Reason.NO_ALLOW_POLICY, null, 0);
		this.noAllowRuleMatched = Decision.of(Decision.Reason.NO_ALLOW_RULE_MATCHED, null, this.allowPolicyCount);
		this.jwtRules = List.copyOf(builder.jwtRules);
		this.mtlsMode = builder.mtlsMode;
		this.portLevelMtls = Map.copyOf(builder.portLevelMtls);
		this.appliedPolicies = List.copyOf(builder.appliedPolicies);
		this.ignoredPolicies = List.copyOf(builder.ignoredPolicies);
	}

	/**
	 * A snapshot with no policy at all: every request is allowed.
	 * @return the empty snapshot
	 */
	public static PolicySnapshot empty() {
		return builder().build();
	}

	/**
	 * Starts a snapshot; the compiler is its usual caller.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Step 2 of §3.4: the CUSTOM policies. If a CUSTOM rule matches, the extension authorizer of its provider
	 * decides; an unknown provider, or several providers, turn the rules into DENY rules (§3.18).
	 * @param request the request, before JWT authentication
	 * @return the decision; {@link Decision#allowed()} means the request goes on
	 */
	public Decision checkCustom(RequestAttributes request) {
		int matched = this.custom.firstMatch(request);
		if (matched >= 0) {
			CompiledRule rule = this.custom.get(matched);
			if (this.multipleCustomProviders) {
				return Decision.of(Decision.Reason.CUSTOM_MULTIPLE_PROVIDERS, rule.ref(), 0);
			}
			ExtensionAuthorizer authorizer = this.authorizers.get(this.customProviders[matched]);
			if (authorizer == null) {
				return Decision.of(Decision.Reason.CUSTOM_PROVIDER_UNKNOWN, rule.ref(), 0);
			}
			return ask(authorizer, rule.ref(), request);
		}
		return CUSTOM_NOT_TRIGGERED;
	}

	/**
	 * Returns whether any CUSTOM rule applies, i.e. whether {@link #checkCustom} may call an
	 * {@link ExtensionAuthorizer} (whose code may block; non-blocking adapters run it elsewhere).
	 * @return whether there are CUSTOM rules
	 */
	public boolean hasCustomRules() {
		return this.custom.size() > 0;
	}

	private static final Decision CUSTOM_NOT_TRIGGERED = Decision.of(Decision.Reason.CUSTOM_NOT_TRIGGERED, null, 0);

	private static Decision ask(ExtensionAuthorizer authorizer, RuleRef rule, RequestAttributes request) {
		ExtensionDecision answer;
		try {
			answer = authorizer.check(request);
		}
		catch (RuntimeException ex) {
			return Decision.response(Decision.Reason.CUSTOM_ERROR, rule, 403, "", Map.of());
		}
		if (answer == null) {
			return Decision.response(Decision.Reason.CUSTOM_ERROR, rule, 403, "", Map.of());
		}
		return answer.allowed() ? Decision.response(Decision.Reason.CUSTOM_ALLOWED, rule, 200, "", Map.of())
				: Decision.response(Decision.Reason.CUSTOM_DENIED, rule, answer.status(), answer.body(),
						answer.headers());
	}

	/**
	 * Steps 4 to 6 of §3.4, after JWT authentication: AUDIT marks, DENY refuses, and if any ALLOW policy
	 * applies, only a matching ALLOW rule lets the request through. Dry-run policies are evaluated on the side
	 * and never change the outcome (§3.16).
	 * @param request the request, with its JWT attributes
	 * @return the decision
	 */
	public Decision authorize(RequestAttributes request) {
		Decision decision;
		int denied = this.deny.firstMatch(request);
		if (denied >= 0) {
			// "if any rule of any enforced DENY policy matches → 403"
			decision = this.denyDecisions[denied];
		}
		else if (this.allowPolicyCount == 0) {
			decision = this.noAllowPolicy;
		}
		else {
			// "if the workload has at least one enforced ALLOW policy: a rule must match, else 403"
			int allowed = this.allow.firstMatch(request);
			decision = (allowed >= 0) ? this.allowDecisions[allowed] : this.noAllowRuleMatched;
		}
		if (this.audit.size() == 0 && this.dryRunAllow.size() == 0 && this.dryRunDeny.size() == 0) {
			return decision;
		}
		return observe(decision, request);
	}

	private Decision observe(Decision decision, RequestAttributes request) {
		RuleRef audited = matchedRef(this.audit, request);
		Decision.ShadowResult shadowAllow = null;
		if (this.dryRunAllow.size() > 0) {
			RuleRef matched = matchedRef(this.dryRunAllow, request);
			shadowAllow = new Decision.ShadowResult(matched == null, matched);
		}
		Decision.ShadowResult shadowDeny = null;
		if (this.dryRunDeny.size() > 0) {
			RuleRef matched = matchedRef(this.dryRunDeny, request);
			shadowDeny = new Decision.ShadowResult(matched != null, matched);
		}
		return decision.withObservations(audited, shadowAllow, shadowDeny);
	}

	private static @Nullable RuleRef matchedRef(RuleSet rules, RequestAttributes request) {
		int matched = rules.firstMatch(request);
		return (matched >= 0) ? rules.get(matched).ref() : null;
	}

	/**
	 * Returns the JWT rules of every applicable RequestAuthentication, merged and sorted by issuer (§2.3).
	 * @return the JWT rules
	 */
	public List<JwtRule> jwtRules() {
		return this.jwtRules;
	}

	/**
	 * Returns the effective mTLS mode for a local port (§4.3), never {@link MtlsMode#UNSET}.
	 * @param port the workload port
	 * @return the mode
	 */
	public MtlsMode mtlsMode(int port) {
		if (this.portLevelMtls.isEmpty()) {
			// asked on every request: no boxed port when no policy names one
			return this.mtlsMode;
		}
		MtlsMode portMode = this.portLevelMtls.get(port);
		return (portMode == null || portMode == MtlsMode.UNSET) ? this.mtlsMode : portMode;
	}

	/**
	 * Returns the effective mode of each port that the workload's PeerAuthentication names in
	 * {@code portLevelMtls} (§4.3); every other port has {@link #mtlsMode(int)}'s workload mode.
	 * @return the modes by port
	 */
	public Map<Integer, MtlsMode> portLevelMtls() {
		return this.portLevelMtls;
	}

	/**
	 * Returns the policies that apply to this workload, in evaluation order.
	 * @return the applied policies
	 */
	public List<IstioPolicy> appliedPolicies() {
		return this.appliedPolicies;
	}

	/**
	 * Returns the policies that were read but do not apply to this workload, with the reason.
	 * @return the ignored policies
	 */
	public List<IgnoredPolicy> ignoredPolicies() {
		return this.ignoredPolicies;
	}

	/**
	 * Whether at least one enforced ALLOW policy applies, i.e. requests are denied unless allowed.
	 * @return whether default-deny is in force
	 */
	public boolean denyByDefault() {
		return this.allowPolicyCount > 0;
	}

	/**
	 * A policy that was read but does not apply here.
	 *
	 * @param policy the policy
	 * @param reason why it does not apply
	 */
	public record IgnoredPolicy(IstioPolicy policy, String reason) {
	}

	/**
	 * Collects the compiled parts of a snapshot.
	 */
	public static final class Builder {

		private final List<CompiledRule> custom = new ArrayList<>();

		private final List<String> customProviders = new ArrayList<>();

		private Map<String, ExtensionAuthorizer> authorizers = Map.of();

		private final List<CompiledRule> audit = new ArrayList<>();

		private final List<CompiledRule> deny = new ArrayList<>();

		private final List<CompiledRule> allow = new ArrayList<>();

		private final List<CompiledRule> dryRunDeny = new ArrayList<>();

		private final List<CompiledRule> dryRunAllow = new ArrayList<>();

		private final Set<PolicyRef> allowPolicies = new HashSet<>();

		private List<JwtRule> jwtRules = List.of();

		private MtlsMode mtlsMode = MtlsMode.PERMISSIVE;

		private Map<Integer, MtlsMode> portLevelMtls = Map.of();

		private final List<IstioPolicy> appliedPolicies = new ArrayList<>();

		private final List<IgnoredPolicy> ignoredPolicies = new ArrayList<>();

		private Builder() {
		}

		/**
		 * Registers an enforced ALLOW policy, even one without rules: its presence alone turns on
		 * default-deny (§3.4).
		 * @param policy the policy
		 * @return this builder
		 */
		public Builder allowPolicy(PolicyRef policy) {
			this.allowPolicies.add(policy);
			return this;
		}

		/**
		 * Adds a rule of an ALLOW, DENY or AUDIT policy, enforced or dry-run as its {@link PolicyRef} says.
		 * @param rule the rule
		 * @return this builder
		 */
		public Builder rule(CompiledRule rule) {
			PolicyRef policy = rule.ref().policy();
			List<CompiledRule> target = switch (policy.action()) {
				case ALLOW -> policy.dryRun() ? this.dryRunAllow : this.allow;
				case DENY -> policy.dryRun() ? this.dryRunDeny : this.deny;
				case AUDIT -> this.audit;
				case CUSTOM -> throw new IllegalArgumentException("CUSTOM rules need a provider: " + rule.ref());
			};
			if (policy.action() == io.github.istiosecurity.model.Action.ALLOW && !policy.dryRun()) {
				this.allowPolicies.add(policy);
			}
			target.add(rule);
			return this;
		}

		/**
		 * Adds a rule of a CUSTOM policy.
		 * @param provider the policy's {@code provider.name}
		 * @param rule the rule
		 * @return this builder
		 */
		public Builder customRule(String provider, CompiledRule rule) {
			this.custom.add(rule);
			this.customProviders.add(provider);
			return this;
		}

		/**
		 * Sets the extension authorizers by provider name.
		 * @param authorizers the authorizers
		 * @return this builder
		 */
		public Builder authorizers(Map<String, ExtensionAuthorizer> authorizers) {
			this.authorizers = authorizers;
			return this;
		}

		/**
		 * Sets the merged JWT rules.
		 * @param rules the rules, sorted by issuer
		 * @return this builder
		 */
		public Builder jwtRules(List<JwtRule> rules) {
			this.jwtRules = rules;
			return this;
		}

		/**
		 * Sets the effective mTLS modes.
		 * @param workloadMode the workload's mode
		 * @param portModes per-port modes
		 * @return this builder
		 */
		public Builder mtls(MtlsMode workloadMode, Map<Integer, MtlsMode> portModes) {
			this.mtlsMode = workloadMode;
			this.portLevelMtls = portModes;
			return this;
		}

		/**
		 * Records a policy that applies.
		 * @param policy the policy
		 * @return this builder
		 */
		public Builder applied(IstioPolicy policy) {
			this.appliedPolicies.add(policy);
			return this;
		}

		/**
		 * Records a policy that does not apply.
		 * @param policy the policy
		 * @param reason why
		 * @return this builder
		 */
		public Builder ignored(IstioPolicy policy, String reason) {
			this.ignoredPolicies.add(new IgnoredPolicy(policy, reason));
			return this;
		}

		/**
		 * Builds the immutable snapshot.
		 * @return the snapshot
		 */
		public PolicySnapshot build() {
			return new PolicySnapshot(this);
		}

	}

	/**
	 * Returns the extension authorizer for a provider, for diagnostics.
	 * @param provider the provider name
	 * @return the authorizer, or {@code null}
	 */
	public @Nullable ExtensionAuthorizer authorizer(String provider) {
		return this.authorizers.get(provider);
	}

}
