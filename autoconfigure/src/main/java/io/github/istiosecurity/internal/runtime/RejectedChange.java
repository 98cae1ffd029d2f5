package io.github.istiosecurity.internal.runtime;

import java.time.Instant;
import java.util.List;

import io.github.istiosecurity.internal.load.PolicyProblem;

/**
 * A policy change that was refused: the last good policies stayed in force.
 *
 * @param at when it was refused
 * @param problems why: every file, line and field at fault
 */
public record RejectedChange(Instant at, List<PolicyProblem> problems) {

	public RejectedChange {
		problems = List.copyOf(problems);
	}

}
