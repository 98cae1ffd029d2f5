package io.github.istiosecurity.internal.jwt;

import org.assertj.core.api.AbstractAssert;

/**
 * Typed assertions on a {@link JwtOutcome}.
 */
final class JwtOutcomeAssert extends AbstractAssert<JwtOutcomeAssert, JwtOutcome> {

	private JwtOutcomeAssert(JwtOutcome actual) {
		super(actual, JwtOutcomeAssert.class);
	}

	static JwtOutcomeAssert assertThat(JwtOutcome outcome) {
		return new JwtOutcomeAssert(outcome);
	}

	JwtOutcomeAssert isRejected(int httpStatus, String body) {
		isNotNull();
		if (this.actual.status() != JwtOutcome.Status.REJECTED || this.actual.httpStatus() != httpStatus
				|| !this.actual.body().equals(body)) {
			failWithMessage("Expected REJECTED %s '%s' but was %s %s '%s'", httpStatus, body, this.actual.status(),
					this.actual.httpStatus(), this.actual.body());
		}
		return this;
	}

	JwtOutcomeAssert isRejectedWith(String body) {
		return isRejected(401, body);
	}

	JwtOutcomeAssert isAuthenticatedAs(String principal) {
		isAuthenticated();
		if (!principal.equals(this.actual.requestPrincipal())) {
			failWithMessage("Expected principal %s but was %s", principal, this.actual.requestPrincipal());
		}
		return this;
	}

	JwtOutcomeAssert isAuthenticated() {
		return hasStatus(JwtOutcome.Status.AUTHENTICATED);
	}

	JwtOutcomeAssert isUnauthenticated() {
		return hasStatus(JwtOutcome.Status.UNAUTHENTICATED);
	}

	JwtOutcomeAssert isNotProcessed() {
		return hasStatus(JwtOutcome.Status.NOT_PROCESSED);
	}

	private JwtOutcomeAssert hasStatus(JwtOutcome.Status status) {
		isNotNull();
		if (this.actual.status() != status) {
			failWithMessage("Expected %s but was %s '%s'", status, this.actual.status(), this.actual.body());
		}
		return this;
	}

}
