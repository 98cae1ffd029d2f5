package io.github.istiosecurity.test;

import java.util.Objects;

import io.github.istiosecurity.check.CheckResult;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a {@link CheckResult}: who decided (a policy and rule, the
 * default, JWT authentication) and what the client would get. A failure says what was
 * expected and what happened, then the whole explanation.
 */
public class DecisionAssert extends AbstractAssert<DecisionAssert, CheckResult> {

	/** What {@link CheckResult#jwt()} says when JWT authentication refused the token. */
	private static final String JWT_REJECTED = "rejected";

	/**
	 * Creates assertions on a decision.
	 * @param actual the decision
	 */
	public DecisionAssert(@Nullable CheckResult actual) {
		super(actual, DecisionAssert.class);
	}

	/**
	 * Verifies that the request would reach the application.
	 * @return this
	 */
	public DecisionAssert isAllowed() {
		CheckResult result = result();
		if (!result.allowed()) {
			fail("to be allowed", result);
		}
		return this;
	}

	/**
	 * Verifies that the request would be allowed by a rule of the given ALLOW policy.
	 * @param policy {@code namespace/name}
	 * @return this
	 */
	public DecisionAssert isAllowedBy(String policy) {
		CheckResult result = result();
		if (!result.allowed() || !policy.equals(result.policy())) {
			fail("to be allowed by " + policy, result);
		}
		return this;
	}

	/**
	 * Verifies that the request would be allowed by the given rule of an ALLOW policy.
	 * @param policy {@code namespace/name}
	 * @param rule the rule's index in {@code spec.rules}
	 * @return this
	 */
	public DecisionAssert isAllowedBy(String policy, int rule) {
		CheckResult result = result();
		if (!result.allowed() || !policy.equals(result.policy()) || !Objects.equals(rule, result.rule())) {
			fail("to be allowed by " + policy + " rule " + rule, result);
		}
		return this;
	}

	/**
	 * Verifies that the request would be allowed without any ALLOW rule deciding: no
	 * ALLOW policy applies to the workload and nothing denied it.
	 * @return this
	 */
	public DecisionAssert isAllowedByDefault() {
		CheckResult result = result();
		if (!result.allowed() || result.policy() != null) {
			fail("to be allowed by default (no ALLOW policy applies)", result);
		}
		return this;
	}

	/**
	 * Verifies that the request would not reach the application, whatever refused it (a
	 * policy, the default deny, JWT authentication, path normalization).
	 * @return this
	 */
	public DecisionAssert isDenied() {
		CheckResult result = result();
		if (result.allowed()) {
			fail("to be denied", result);
		}
		return this;
	}

	/**
	 * Verifies that a rule of the given DENY (or CUSTOM) policy would deny the request.
	 * @param policy {@code namespace/name}
	 * @return this
	 */
	public DecisionAssert isDeniedBy(String policy) {
		CheckResult result = result();
		if (result.allowed() || !policy.equals(result.policy())) {
			fail("to be denied by " + policy, result);
		}
		return this;
	}

	/**
	 * Verifies that the given rule of a DENY (or CUSTOM) policy would deny the request.
	 * @param policy {@code namespace/name}
	 * @param rule the rule's index in {@code spec.rules}
	 * @return this
	 */
	public DecisionAssert isDeniedBy(String policy, int rule) {
		CheckResult result = result();
		if (result.allowed() || !policy.equals(result.policy()) || !Objects.equals(rule, result.rule())) {
			fail("to be denied by " + policy + " rule " + rule, result);
		}
		return this;
	}

	/**
	 * Verifies that the request would be denied with {@code 403 RBAC: access denied}
	 * because ALLOW policies apply and none of their rules matched, no policy rule
	 * deciding.
	 * @return this
	 */
	public DecisionAssert isDeniedByDefault() {
		CheckResult result = result();
		if (result.allowed() || result.status() != 403 || result.policy() != null
				|| JWT_REJECTED.equals(result.jwt())) {
			fail("to be denied by default (403, no ALLOW rule matched)", result);
		}
		return this;
	}

	/**
	 * Verifies that JWT authentication (RequestAuthentication) would refuse the request's
	 * token, before any AuthorizationPolicy.
	 * @return this
	 */
	public DecisionAssert isRejectedByJwt() {
		CheckResult result = result();
		if (!JWT_REJECTED.equals(result.jwt())) {
			fail("to be rejected by JWT authentication", result);
		}
		return this;
	}

	/**
	 * Verifies that JWT authentication would refuse the request's token with Envoy's
	 * body, e.g. {@code Jwt is expired}.
	 * @param body the expected response body
	 * @return this
	 */
	public DecisionAssert isRejectedByJwt(String body) {
		CheckResult result = result();
		if (!JWT_REJECTED.equals(result.jwt()) || !body.equals(result.body())) {
			fail("to be rejected by JWT authentication with \"" + body + "\"", result);
		}
		return this;
	}

	/**
	 * Verifies the status the client would get: 200 when allowed, 401, 403, or a CUSTOM
	 * authorizer's status.
	 * @param status the expected status
	 * @return this
	 */
	public DecisionAssert hasStatus(int status) {
		CheckResult result = result();
		if (result.status() != status) {
			fail("to get status " + status, result);
		}
		return this;
	}

	/**
	 * Verifies that the given AUDIT rule would mark the request (auditing decides
	 * nothing).
	 * @param policy {@code namespace/name} of an AUDIT policy
	 * @param rule the rule's index in {@code spec.rules}
	 * @return this
	 */
	public DecisionAssert isAuditedBy(String policy, int rule) {
		CheckResult result = result();
		if (!(policy + " rule " + rule).equals(result.audit())) {
			fail("to be audited by " + policy + " rule " + rule, result);
		}
		return this;
	}

	/**
	 * Verifies the request principal ({@code <iss>/<sub>}) that the decision saw, e.g.
	 * after a token was verified.
	 * @param principal the expected principal
	 * @return this
	 */
	public DecisionAssert hasRequestPrincipal(String principal) {
		CheckResult result = result();
		if (!principal.equals(result.requestPrincipal())) {
			fail("to have request principal " + principal, result);
		}
		return this;
	}

	private CheckResult result() {
		isNotNull();
		return this.actual;
	}

	private void fail(String expectation, CheckResult result) {
		// the explanation is an argument, not the format: it may contain '%'
		failWithMessage("%nExpecting the request %s, but it was %s.%nDecision: %s", expectation, outcome(result),
				result.explanation());
	}

	/** What happened, in the words of the assertions. */
	static String outcome(CheckResult result) {
		String rule = (result.policy() != null)
				? result.policy() + ((result.rule() != null) ? " rule " + result.rule() : "") : null;
		if (result.allowed()) {
			return (rule != null) ? "allowed by " + rule : "allowed by default";
		}
		if (JWT_REJECTED.equals(result.jwt())) {
			return "rejected by JWT authentication with " + result.status() + " \"" + result.body() + "\"";
		}
		if (rule != null) {
			return "denied by " + rule + " (" + result.action() + ", " + result.status() + ")";
		}
		if (result.status() == 403) {
			return "denied by default (403)";
		}
		return "refused with " + result.status() + " \"" + result.body() + "\"";
	}

}
