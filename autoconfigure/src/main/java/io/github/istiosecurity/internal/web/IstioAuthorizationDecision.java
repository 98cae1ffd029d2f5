package io.github.istiosecurity.internal.web;

import io.github.istiosecurity.authz.Decision;

import org.springframework.security.authorization.AuthorizationDecision;

/**
 * Spring Security's view of an engine {@link Decision}, which it carries for logs and
 * events.
 */
public final class IstioAuthorizationDecision extends AuthorizationDecision {

	private final Decision decision;

	/**
	 * Wraps an engine decision.
	 * @param decision the decision
	 */
	public IstioAuthorizationDecision(Decision decision) {
		super(decision.allowed());
		this.decision = decision;
	}

	/**
	 * Returns the engine's decision, with the policy and rule that decided.
	 * @return the decision
	 */
	public Decision decision() {
		return this.decision;
	}

	@Override
	public String toString() {
		return this.decision.explain();
	}

}
