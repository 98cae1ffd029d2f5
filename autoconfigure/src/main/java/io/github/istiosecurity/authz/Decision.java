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
		 * The extension authorizer failed; Istio's default {@code statusOnError} (403)
		 * applies.
		 */
		CUSTOM_ERROR(false),

		/**
		 * A CUSTOM rule matched but no authorizer has its provider name: the rule acts as
		 * DENY (§3.18).
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

	Decision(Reason reason, @Nullable RuleRef rule, int status, String body, Map<String, String> headers,
			@Nullable RuleRef audit, @Nullable ShadowResult dryRunAllow, @Nullable ShadowResult dryRunDeny,
			int allowPolicyCount) {
		this.reason = reason;
		this.rule = rule;
		this.status = status;
		this.body = body;
		this.headers = headers;
		this.audit = audit;
		this.dryRunAllow = dryRunAllow;
		this.dryRunDeny = dryRunDeny;
		this.allowPolicyCount = allowPolicyCount;
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
				dryRunDeny, this.allowPolicyCount);
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
			case CUSTOM_ALLOWED -> "extension authorizer allowed after CUSTOM " + describe(this.rule);
			case CUSTOM_DENIED -> "extension authorizer denied after CUSTOM " + describe(this.rule);
			case CUSTOM_ERROR -> "extension authorizer failed after CUSTOM " + describe(this.rule);
			case CUSTOM_PROVIDER_UNKNOWN ->
				"CUSTOM " + describe(this.rule) + " names a provider with no ExtensionAuthorizer bean";
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
