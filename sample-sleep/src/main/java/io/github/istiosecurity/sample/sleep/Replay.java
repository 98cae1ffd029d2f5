package io.github.istiosecurity.sample.sleep;

import java.util.List;

/**
 * The whole replay: where httpbin was, and one row per walk-through step.
 *
 * @param httpbin httpbin's address
 * @param total the number of steps
 * @param asExpected how many went as Istio would
 * @param steps the rows, in walk-through order
 */
public record Replay(String httpbin, int total, int asExpected, List<ReplayedStep> steps) {

	static Replay of(String httpbin, List<ReplayedStep> steps) {
		int ok = (int) steps.stream().filter(ReplayedStep::asExpected).count();
		return new Replay(httpbin, steps.size(), ok, List.copyOf(steps));
	}

	/** Whether every step went as expected. */
	public boolean allAsExpected() {
		return this.asExpected == this.total;
	}

}
