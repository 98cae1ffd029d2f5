package io.github.istiosecurity.test;

import io.github.istiosecurity.check.CheckResult;

/**
 * Entry point of the AssertJ assertions on decisions:
 * {@code assertThat(policies.check(request)).isAllowed()}. It can be imported statically
 * beside {@code org.assertj.core.api.Assertions.assertThat}.
 */
public final class IstioAssertions {

	private IstioAssertions() {
	}

	/**
	 * Starts assertions on a decision; every failure message ends with the decision's
	 * explanation (each policy evaluated and why it matched or not), never with a token
	 * or a claim value.
	 * @param result the decision
	 * @return the assertions
	 */
	public static DecisionAssert assertThat(CheckResult result) {
		return new DecisionAssert(result);
	}

}
