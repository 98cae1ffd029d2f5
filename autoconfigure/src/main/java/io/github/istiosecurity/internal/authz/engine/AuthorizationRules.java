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
import org.jspecify.annotations.Nullable;

/**
 * The compiled AuthorizationPolicies that apply to this workload, by action, immutable:
 * the state the decision (CUSTOM, then AUDIT/DENY/ALLOW, §3.4) reads and nothing else.
 * JWT rules and mTLS modes are compiled beside it ({@code CompiledPolicies}).
 */
public final class AuthorizationRules {

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

	private AuthorizationRules(Builder builder) {
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
	}

	/** A copy whose rule sets have no index, see {@link #withoutIndexes()}. */
	private AuthorizationRules(AuthorizationRules indexed) {
		this.custom = RuleSet.linear(indexed.custom.rules());
		this.customProviders = indexed.customProviders;
		this.authorizers = indexed.authorizers;
		this.multipleCustomProviders = indexed.multipleCustomProviders;
		this.audit = RuleSet.linear(indexed.audit.rules());
		this.deny = RuleSet.linear(indexed.deny.rules());
		this.allow = RuleSet.linear(indexed.allow.rules());
		this.dryRunDeny = RuleSet.linear(indexed.dryRunDeny.rules());
		this.dryRunAllow = RuleSet.linear(indexed.dryRunAllow.rules());
		this.denyDecisions = indexed.denyDecisions;
		this.allowDecisions = indexed.allowDecisions;
		this.allowPolicyCount = indexed.allowPolicyCount;
		this.noAllowPolicy = indexed.noAllowPolicy;
		this.noAllowRuleMatched = indexed.noAllowRuleMatched;
	}

	/**
	 * The same rules decided by testing every rule in order, without the indexes of
	 * {@link RuleSet}: for tests that show the indexes change no decision.
	 * @return the unindexed rules
	 */
	AuthorizationRules withoutIndexes() {
		return new AuthorizationRules(this);
	}

	/**
	 * No AuthorizationPolicy at all: every request is allowed.
	 * @return the empty rules
	 */
	public static AuthorizationRules empty() {
		return builder().build();
	}

	/**
	 * Starts the rules; the compiler is their usual caller.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Step 2 of §3.4: the CUSTOM policies. If a CUSTOM rule matches, the extension
	 * authorizer of its provider decides; an unknown provider, or several providers, turn
	 * the rules into DENY rules (§3.18).
	 * @param request the request, before JWT authentication
	 * @return the decision; {@link Decision#allowed()} means the request goes on
	 */
	public Decision checkCustom(RequestAttributes request) {
		int matched = this.custom.firstMatch(request);
		if (matched >= 0) {
			CompiledRule rule = this.custom.get(matched);
			String provider = this.customProviders[matched];
			if (this.multipleCustomProviders) {
				return Decision.custom(Decision.Reason.CUSTOM_MULTIPLE_PROVIDERS, rule.ref(), provider, null);
			}
			ExtensionAuthorizer authorizer = this.authorizers.get(provider);
			if (authorizer == null) {
				return Decision.custom(Decision.Reason.CUSTOM_PROVIDER_UNKNOWN, rule.ref(), provider, null);
			}
			return ask(authorizer, rule.ref(), provider, request);
		}
		return CUSTOM_NOT_TRIGGERED;
	}

	/**
	 * Returns whether a CUSTOM rule matches the request, i.e. whether
	 * {@link #checkCustom} may call an {@link ExtensionAuthorizer} (which may block;
	 * non-blocking adapters run it elsewhere). Matching alone never blocks: a request no
	 * CUSTOM rule matches is decided as if there were no CUSTOM policy.
	 * @param request the request, before JWT authentication
	 * @return whether a CUSTOM rule matches
	 */
	public boolean customRuleMatches(RequestAttributes request) {
		return this.custom.size() > 0 && this.custom.firstMatch(request) >= 0;
	}

	/**
	 * Returns the extension authorizer that {@link #checkCustom} would ask for a request,
	 * so that an adapter can prepare what it needs (the request body) before asking.
	 * @param request the request, before JWT authentication
	 * @return the authorizer, or {@code null} when no CUSTOM rule matches or its provider
	 * has no usable one
	 */
	public @Nullable ExtensionAuthorizer customAuthorizer(RequestAttributes request) {
		int matched = (this.custom.size() > 0) ? this.custom.firstMatch(request) : -1;
		if (matched < 0 || this.multipleCustomProviders) {
			return null;
		}
		return this.authorizers.get(this.customProviders[matched]);
	}

	private static final Decision CUSTOM_NOT_TRIGGERED = Decision.of(Decision.Reason.CUSTOM_NOT_TRIGGERED, null, 0);

	private static Decision ask(ExtensionAuthorizer authorizer, RuleRef rule, String provider,
			RequestAttributes request) {
		ExtensionDecision answer;
		try {
			answer = authorizer.check(request);
		}
		catch (RuntimeException ex) {
			// an in-process authorizer that throws: an error with Istio's default
			// statusOnError
			return Decision.custom(Decision.Reason.CUSTOM_ERROR, rule, provider, null);
		}
		if (answer == null) {
			return Decision.custom(Decision.Reason.CUSTOM_ERROR, rule, provider, null);
		}
		Decision.Reason reason;
		if (answer.error() != null) {
			reason = answer.allowed() ? Decision.Reason.CUSTOM_FAILED_OPEN : Decision.Reason.CUSTOM_ERROR;
		}
		else {
			reason = answer.allowed() ? Decision.Reason.CUSTOM_ALLOWED : Decision.Reason.CUSTOM_DENIED;
		}
		return Decision.custom(reason, rule, provider, answer);
	}

	/**
	 * Steps 4 to 6 of §3.4, after JWT authentication: AUDIT marks, DENY refuses, and if
	 * any ALLOW policy applies, only a matching ALLOW rule lets the request through.
	 * Dry-run policies are evaluated on the side and never change the outcome (§3.16).
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
			// "if the workload has at least one enforced ALLOW policy: a rule must match,
			// else 403"
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
	 * Whether at least one enforced ALLOW policy applies, i.e. requests are denied unless
	 * allowed.
	 * @return whether default-deny is in force
	 */
	public boolean denyByDefault() {
		return this.allowPolicyCount > 0;
	}

	/**
	 * Collects the compiled rules.
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

		private Builder() {
		}

		/**
		 * Registers an enforced ALLOW policy, even one without rules: its presence alone
		 * turns on default-deny (§3.4).
		 * @param policy the policy
		 * @return this builder
		 */
		public Builder allowPolicy(PolicyRef policy) {
			this.allowPolicies.add(policy);
			return this;
		}

		/**
		 * Adds a rule of an ALLOW, DENY or AUDIT policy, enforced or dry-run as its
		 * {@link PolicyRef} says.
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
		 * Builds the immutable rules.
		 * @return the rules
		 */
		public AuthorizationRules build() {
			return new AuthorizationRules(this);
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
