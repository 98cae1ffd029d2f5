package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.RuleRef;

import org.assertj.core.api.AbstractAssert;

/**
 * Typed assertions on a {@link Decision}:
 * {@code assertThat(decision).isDeniedBy("foo/deny-all", 0)}.
 */
public final class DecisionAssert extends AbstractAssert<DecisionAssert, Decision> {

	private DecisionAssert(Decision actual) {
		super(actual, DecisionAssert.class);
	}

	public static DecisionAssert assertThat(Decision actual) {
		return new DecisionAssert(actual);
	}

	public DecisionAssert isAllowed() {
		isNotNull();
		if (!this.actual.allowed()) {
			failWithMessage("Expected the request to be allowed but it was %s", this.actual.explain());
		}
		return this;
	}

	public DecisionAssert isDenied() {
		isNotNull();
		if (this.actual.allowed()) {
			failWithMessage("Expected the request to be denied but it was %s", this.actual.explain());
		}
		return this;
	}

	public DecisionAssert isAllowedBy(String policy, int rule) {
		isAllowed();
		return hasRule(Decision.Reason.ALLOWED_BY_RULE, policy, rule);
	}

	public DecisionAssert isDeniedBy(String policy, int rule) {
		isDenied();
		hasStatus(403).hasBody(Decision.RBAC_DENIED_BODY);
		return hasRule(Decision.Reason.DENIED_BY_RULE, policy, rule);
	}

	/** Default deny: ALLOW policies apply and none matched. */
	public DecisionAssert isDeniedByDefault() {
		isDenied();
		hasStatus(403).hasBody(Decision.RBAC_DENIED_BODY);
		return hasReason(Decision.Reason.NO_ALLOW_RULE_MATCHED);
	}

	public DecisionAssert isAllowedWithoutAllowPolicy() {
		isAllowed();
		return hasReason(Decision.Reason.NO_ALLOW_POLICY);
	}

	public DecisionAssert hasReason(Decision.Reason reason) {
		isNotNull();
		if (this.actual.reason() != reason) {
			failWithMessage("Expected reason %s but was %s (%s)", reason, this.actual.reason(), this.actual.explain());
		}
		return this;
	}

	public DecisionAssert hasStatus(int status) {
		isNotNull();
		if (this.actual.status() != status) {
			failWithMessage("Expected status %s but was %s (%s)", status, this.actual.status(), this.actual.explain());
		}
		return this;
	}

	public DecisionAssert hasBody(String body) {
		isNotNull();
		if (!this.actual.body().equals(body)) {
			failWithMessage("Expected body <%s> but was <%s>", body, this.actual.body());
		}
		return this;
	}

	public DecisionAssert isAuditedBy(String policy, int rule) {
		isNotNull();
		RuleRef audit = this.actual.audit();
		if (audit == null || !audit.policy().qualifiedName().equals(policy) || audit.index() != rule) {
			failWithMessage("Expected audit by %s rule %s but was %s", policy, rule, audit);
		}
		return this;
	}

	public DecisionAssert isNotAudited() {
		isNotNull();
		if (this.actual.audit() != null) {
			failWithMessage("Expected no audit mark but was audited by %s", this.actual.audit());
		}
		return this;
	}

	private DecisionAssert hasRule(Decision.Reason reason, String policy, int rule) {
		hasReason(reason);
		RuleRef ref = this.actual.rule();
		if (ref == null || !ref.policy().qualifiedName().equals(policy) || ref.index() != rule) {
			failWithMessage("Expected %s rule %s but was %s", policy, rule, ref);
		}
		return this;
	}

}
