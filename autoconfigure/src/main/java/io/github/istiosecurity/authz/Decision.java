package io.github.istiosecurity.authz;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of an authorization step and why (§3.4, §3.19): which policy and rule
 * decided, whether an AUDIT rule marked the request, and what the dry-run policies would
 * have done. The common decisions are built once per rule when policies are compiled, so
 * deciding allocates nothing.
 */
public final class Decision {

	/** Envoy's RBAC denial body (§3.19). */
	public static final String RBAC_DENIED_BODY = "RBAC: access denied";

	/** Why a decision came out as it did. */
	public enum Reason {

		/**
		 * No enforced ALLOW, DENY or CUSTOM policy refused the request and no ALLOW
		 * policy applies.
		 */
		NO_ALLOW_POLICY(true),

		/** An ALLOW rule matched. */
		ALLOWED_BY_RULE(true),

		/** A DENY rule matched. */
		DENIED_BY_RULE(false),

		/**
		 * ALLOW policies apply to the workload and none of their rules matched (default
		 * deny).
		 */
		NO_ALLOW_RULE_MATCHED(false),

		/** No CUSTOM rule matched, so no extension authorizer was asked. */
		CUSTOM_NOT_TRIGGERED(true),

		/** The extension authorizer allowed the request. */
		CUSTOM_ALLOWED(true),

		/** The extension authorizer denied the request. */
		CUSTOM_DENIED(false),

		/**
		 * Asking the extension authorizer failed (or it threw); the provider's
		 * {@code statusOnError} applies.
		 */
		CUSTOM_ERROR(false),

		/**
		 * Asking the extension authorizer failed and the provider fails open
		 * ({@code failOpen}).
		 */
		CUSTOM_FAILED_OPEN(true),

		/**
		 * A CUSTOM rule matched but its provider is neither an extension authorizer bean
		 * nor configured: the rule acts as DENY (§3.18).
		 */
		CUSTOM_PROVIDER_UNKNOWN(false),

		/**
		 * CUSTOM policies of the workload name more than one provider: their rules act as
		 * DENY (§3.18).
		 */
		CUSTOM_MULTIPLE_PROVIDERS(false);

		private final boolean allowed;

		Reason(boolean allowed) {
			this.allowed = allowed;
		}

	}

	/**
	 * What a set of dry-run policies of one action would have decided (§3.16).
	 *
	 * @param denied whether the shadow result is "denied"
	 * @param rule the dry-run rule that matched, or {@code null} when none did
	 */
	public record ShadowResult(boolean denied, @Nullable RuleRef rule) {
	}

	private final Reason reason;

	private final @Nullable RuleRef rule;

	private final int status;

	private final String body;

	private final Map<String, String> headers;

	private final @Nullable RuleRef audit;

	private final @Nullable ShadowResult dryRunAllow;

	private final @Nullable ShadowResult dryRunDeny;

	private final int allowPolicyCount;

	private final @Nullable String provider;

	private final @Nullable ExtensionDecision extension;

	Decision(Reason reason, @Nullable RuleRef rule, int status, String body, Map<String, String> headers,
			@Nullable RuleRef audit, @Nullable ShadowResult dryRunAllow, @Nullable ShadowResult dryRunDeny,
			int allowPolicyCount) {
		this(reason, rule, status, body, headers, audit, dryRunAllow, dryRunDeny, allowPolicyCount, null, null);
	}

	private Decision(Reason reason, @Nullable RuleRef rule, int status, String body, Map<String, String> headers,
			@Nullable RuleRef audit, @Nullable ShadowResult dryRunAllow, @Nullable ShadowResult dryRunDeny,
			int allowPolicyCount, @Nullable String provider, @Nullable ExtensionDecision extension) {
		this.reason = reason;
		this.rule = rule;
		this.status = status;
		this.body = body;
		this.headers = headers;
		this.audit = audit;
		this.dryRunAllow = dryRunAllow;
		this.dryRunDeny = dryRunDeny;
		this.allowPolicyCount = allowPolicyCount;
		this.provider = provider;
		this.extension = extension;
	}

	/**
	 * Creates the decision of the policy engine (application code receives decisions, it
	 * does not make them).
	 * @param reason why
	 * @param rule the rule that decided, or {@code null}
	 * @param allowPolicyCount how many ALLOW policies applied
	 * @return the decision: 200 when the reason allows, otherwise
	 * {@code 403 RBAC: access denied}
	 */
	public static Decision of(Reason reason, @Nullable RuleRef rule, int allowPolicyCount) {
		return reason.allowed ? new Decision(reason, rule, 200, "", Map.of(), null, null, null, allowPolicyCount)
				: new Decision(reason, rule, 403, RBAC_DENIED_BODY, Map.of(), null, null, null, allowPolicyCount);
	}

	/**
	 * Creates a decision with a reply of its own, as an extension authorizer's (for the
	 * policy engine).
	 * @param reason why
	 * @param rule the rule that decided, or {@code null}
	 * @param status the status
	 * @param body the body
	 * @param headers the headers of the reply (denied) or for the application (allowed)
	 * @return the decision
	 */
	public static Decision response(Reason reason, @Nullable RuleRef rule, int status, String body,
			Map<String, String> headers) {
		return new Decision(reason, rule, status, body, headers, null, null, null, 0);
	}

	/**
	 * Creates the decision of step 2 once a CUSTOM rule matched (for the policy engine):
	 * the provider's answer, or the refusal when it has no usable authorizer.
	 * @param reason one of the {@code CUSTOM_*} reasons but
	 * {@link Reason#CUSTOM_NOT_TRIGGERED}
	 * @param rule the CUSTOM rule that matched
	 * @param provider the provider the rule's policy names
	 * @param answer the authorizer's answer, or {@code null} when it was not asked or
	 * gave none
	 * @return the decision: the answer's denial reply, or {@code 403 RBAC: access denied}
	 * without an answer
	 */
	public static Decision custom(Reason reason, RuleRef rule, String provider, @Nullable ExtensionDecision answer) {
		if (answer == null) {
			return reason.allowed ? new Decision(reason, rule, 200, "", Map.of(), null, null, null, 0, provider, null)
					: new Decision(reason, rule, 403, (reason == Reason.CUSTOM_ERROR) ? "" : RBAC_DENIED_BODY, Map.of(),
							null, null, null, 0, provider, null);
		}
		return reason.allowed ? new Decision(reason, rule, 200, "", Map.of(), null, null, null, 0, provider, answer)
				: new Decision(reason, rule, answer.status(), answer.body(), answer.headers(), null, null, null, 0,
						provider, answer);
	}

	/**
	 * Returns this decision with what AUDIT and dry-run policies observed (for the policy
	 * engine).
	 * @param audit the AUDIT rule that matched, or {@code null}
	 * @param dryRunAllow what the dry-run ALLOW policies would have done, or {@code null}
	 * @param dryRunDeny what the dry-run DENY policies would have done, or {@code null}
	 * @return the decision
	 */
	public Decision withObservations(@Nullable RuleRef audit, @Nullable ShadowResult dryRunAllow,
			@Nullable ShadowResult dryRunDeny) {
		if (audit == null && dryRunAllow == null && dryRunDeny == null) {
			return this;
		}
		return new Decision(this.reason, this.rule, this.status, this.body, this.headers, audit, dryRunAllow,
				dryRunDeny, this.allowPolicyCount, this.provider, this.extension);
	}

	/**
	 * Whether the request may proceed.
	 * @return whether allowed
	 */
	public boolean allowed() {
		return this.reason.allowed;
	}

	/**
	 * Returns why.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/**
	 * Returns the rule that decided: the ALLOW or DENY rule that matched, or the CUSTOM
	 * rule that triggered the authorizer; {@code null} for a default allow or deny.
	 * @return the deciding rule
	 */
	public @Nullable RuleRef rule() {
		return this.rule;
	}

	/**
	 * Returns the HTTP status of the denial response (200 when allowed).
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Returns the plain-text body of the denial response ({@value #RBAC_DENIED_BODY}
	 * unless an extension authorizer said otherwise; empty when allowed).
	 * @return the body
	 */
	public String body() {
		return this.body;
	}

	/**
	 * Returns extra headers of the denial response (from an extension authorizer).
	 * @return the headers
	 */
	public Map<String, String> headers() {
		return this.headers;
	}

	/**
	 * Returns the extension provider that a matching CUSTOM rule named (§3.18).
	 * @return the provider name, or {@code null} when no CUSTOM rule decided
	 */
	public @Nullable String provider() {
		return this.provider;
	}

	/**
	 * Returns the extension authorizer's answer when a CUSTOM rule asked it: on an
	 * allowed request, the headers it sets or removes upstream and adds to the response.
	 * @return the answer, or {@code null}
	 */
	public @Nullable ExtensionDecision extension() {
		return this.extension;
	}

	/**
	 * Returns the AUDIT rule that marked the request, if any (§3.17).
	 * @return the audit rule, or {@code null}
	 */
	public @Nullable RuleRef audit() {
		return this.audit;
	}

	/**
	 * Returns what the dry-run ALLOW policies would have decided, or {@code null} when
	 * there are none.
	 * @return the shadow result
	 */
	public @Nullable ShadowResult dryRunAllow() {
		return this.dryRunAllow;
	}

	/**
	 * Returns what the dry-run DENY policies would have decided, or {@code null} when
	 * there are none.
	 * @return the shadow result
	 */
	public @Nullable ShadowResult dryRunDeny() {
		return this.dryRunDeny;
	}

	/**
	 * Explains the decision in one line, for logs and error details; names no secret.
	 * @return the explanation
	 */
	public String explain() {
		StringBuilder text = new StringBuilder(allowed() ? "allowed: " : "denied: ");
		text.append(switch (this.reason) {
			case NO_ALLOW_POLICY -> "no ALLOW policy applies to this workload and nothing denied";
			case ALLOWED_BY_RULE -> "matched ALLOW " + describe(this.rule);
			case DENIED_BY_RULE -> "matched DENY " + describe(this.rule);
			case NO_ALLOW_RULE_MATCHED ->
				this.allowPolicyCount + " ALLOW " + ((this.allowPolicyCount == 1) ? "policy applies" : "policies apply")
						+ " to this workload and no rule of them matched";
			case CUSTOM_NOT_TRIGGERED -> "no CUSTOM rule matched";
			case CUSTOM_ALLOWED ->
				"extension provider " + quoted(this.provider) + " allowed after CUSTOM " + describe(this.rule);
			case CUSTOM_DENIED -> "extension provider " + quoted(this.provider) + " denied with " + this.status
					+ " after CUSTOM " + describe(this.rule);
			case CUSTOM_ERROR -> "extension provider " + quoted(this.provider) + " failed (" + error()
					+ "), statusOnError " + this.status + ", after CUSTOM " + describe(this.rule);
			case CUSTOM_FAILED_OPEN -> "extension provider " + quoted(this.provider) + " failed (" + error()
					+ ") and fails open, after CUSTOM " + describe(this.rule);
			case CUSTOM_PROVIDER_UNKNOWN -> "CUSTOM " + describe(this.rule) + " names the provider "
					+ quoted(this.provider) + ", which is neither an ExtensionAuthorizer bean nor one of "
					+ "istio.security.extension-providers";
			case CUSTOM_MULTIPLE_PROVIDERS ->
				"CUSTOM " + describe(this.rule) + ": this workload's CUSTOM policies name more than one provider";
		});
		if (this.audit != null) {
			text.append("; audited by ").append(describe(this.audit));
		}
		appendShadow(text, "dry-run ALLOW", this.dryRunAllow);
		appendShadow(text, "dry-run DENY", this.dryRunDeny);
		return text.toString();
	}

	private static void appendShadow(StringBuilder text, String label, @Nullable ShadowResult shadow) {
		if (shadow != null) {
			text.append("; ").append(label).append(shadow.denied() ? " would deny" : " would allow");
			if (shadow.rule() != null) {
				text.append(" (").append(shadow.rule().ruleId()).append(')');
			}
		}
	}

	private String error() {
		String error = (this.extension != null) ? this.extension.error() : null;
		return (error != null) ? error : "the authorizer threw or gave no answer";
	}

	private static String quoted(@Nullable String provider) {
		return "'" + ((provider != null) ? provider : "") + "'";
	}

	private static String describe(@Nullable RuleRef rule) {
		if (rule == null) {
			return "(no rule)";
		}
		return "policy " + rule.policy().qualifiedName() + " rule " + rule.index() + " (" + rule.policy().origin()
				+ ")";
	}

	@Override
	public String toString() {
		return explain();
	}

}
