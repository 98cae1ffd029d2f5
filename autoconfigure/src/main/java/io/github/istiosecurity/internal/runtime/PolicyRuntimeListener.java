package io.github.istiosecurity.internal.runtime;

import java.util.List;

import io.github.istiosecurity.internal.load.PolicyProblem;

/**
 * Notified when a policy change is applied or rejected (for metrics and the actuator).
 */
public interface PolicyRuntimeListener {

	/**
	 * A new set of policies is in force.
	 * @param policies the new set
	 */
	default void applied(ActivePolicies policies) {
	}

	/**
	 * A change was rejected; the previous set stays in force.
	 * @param problems every error found
	 */
	default void rejected(List<PolicyProblem> problems) {
	}

}
