package io.github.istiosecurity.model;

/**
 * {@code AuthorizationPolicy.spec.action} (§3.4).
 */
public enum Action {

	/** Allow a request only if it matches a rule (the default). */
	ALLOW,

	/** Deny a request if it matches a rule. */
	DENY,

	/** Mark a matching request for audit; never denies. */
	AUDIT,

	/** Delegate the decision to an extension provider when a rule matches. */
	CUSTOM

}
