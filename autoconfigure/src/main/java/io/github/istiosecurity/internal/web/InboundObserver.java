package io.github.istiosecurity.internal.web;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.internal.jwt.JwtOutcome;

/**
 * Told of how the {@link InboundPipeline} ended each request (for metrics), on the
 * request thread: a refusal of step 1, a token rejected in step 3, or a decision of step
 * 2 or steps 4 to 6. The pipeline does not depend on any metrics library; without an
 * observer it calls {@link #NONE} and reads no clock. Implementations must be quick,
 * allocation-free where they can, and must not throw.
 */
public interface InboundObserver {

	/** The time passed to {@link #decided} for a decision that was not timed. */
	long NOT_TIMED = -1;

	/**
	 * One decision in this many is timed (at random): reading the clock twice costs more
	 * than the rest of the observation, so the timer gets a sample and the decision
	 * counts stay exact.
	 */
	int TIMING_SAMPLE = 16;

	/** Observes nothing. */
	InboundObserver NONE = new InboundObserver() {
	};

	/**
	 * The request was refused before any decision (step 1, or the adapter's routing
	 * check).
	 * @param reply the refusal
	 */
	default void refused(LocalReply reply) {
	}

	/**
	 * RequestAuthentication rejected a token (step 3).
	 * @param outcome the rejection, with its {@link JwtOutcome#failureReason()}
	 */
	default void jwtRejected(JwtOutcome outcome) {
	}

	/**
	 * A decision ended the authorization of a request: a CUSTOM denial (step 2) or the
	 * decision of steps 4 to 6.
	 * @param decision the decision, with its dry-run shadow results
	 * @param nanos how long deciding took, or {@link #NOT_TIMED} for the decisions not
	 * sampled ({@link #TIMING_SAMPLE})
	 */
	default void decided(Decision decision, long nanos) {
	}

}
