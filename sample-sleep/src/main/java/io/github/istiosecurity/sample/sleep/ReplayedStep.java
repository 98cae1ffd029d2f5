package io.github.istiosecurity.sample.sleep;

import org.jspecify.annotations.Nullable;

/**
 * One row of the replay table: the step, what Istio answers, and what httpbin answered.
 *
 * @param step the step's number
 * @param request the request, without the token
 * @param token the demo token's name, or "-"
 * @param expectedStatus the status Istio answers
 * @param expectation what else is expected, in words
 * @param actualStatus what httpbin answered, 0 when it could not be reached
 * @param actualBody httpbin's body for a local reply (a status of 400 and above),
 * shortened; null otherwise
 * @param asExpected whether status and expectation both held
 * @param mismatch why not, or null
 */
public record ReplayedStep(int step, String request, String token, int expectedStatus, String expectation,
		int actualStatus, @Nullable String actualBody, boolean asExpected, @Nullable String mismatch) {

	static ReplayedStep of(WalkThroughStep step, HttpbinResponse response) {
		String mismatch = (response.status() != step.expectedStatus())
				? "status " + response.status() + ", expected " + step.expectedStatus()
				: step.check().mismatch(response);
		String body = (response.status() >= 400) ? ResponseCheck.abbreviate(response.body()) : null;
		return new ReplayedStep(step.number(), step.request(), step.tokenName(), step.expectedStatus(),
				step.expectation(), response.status(), body, mismatch == null, mismatch);
	}

	static ReplayedStep unreachable(WalkThroughStep step, Throwable error) {
		String reason = "httpbin unreachable (" + error.getClass().getSimpleName() + ")";
		return new ReplayedStep(step.number(), step.request(), step.tokenName(), step.expectedStatus(),
				step.expectation(), 0, null, false, reason);
	}

}
