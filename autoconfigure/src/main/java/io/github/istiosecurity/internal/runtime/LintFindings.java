package io.github.istiosecurity.internal.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.internal.load.PolicyProblem;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.PolicyOrigin;

/**
 * Collects the warnings of one lint run as {@link PolicyProblem}s with the file, line and
 * field of each. A finding that recurs in many places of one policy (every rule that uses
 * {@code principals}, say) is reported once, at its first place, with the number of the
 * others: one cause, one line.
 */
final class LintFindings {

	private final List<PolicyProblem> problems = new ArrayList<>();

	private final Map<String, Grouped> grouped = new LinkedHashMap<>();

	/**
	 * Reports a finding at one field of a policy.
	 * @param policy the policy
	 * @param field the field's path relative to the object, e.g. {@code spec.rules[0]}
	 * @param message what is wrong and what it means
	 */
	void add(IstioPolicy policy, String field, String message) {
		this.problems.add(problem(policy, field, message));
	}

	/**
	 * Reports a finding that may recur in the policy: the first place is kept, the others
	 * are counted.
	 * @param policy the policy
	 * @param cause what recurs, e.g. {@code principals}
	 * @param field the field's path relative to the object
	 * @param message what is wrong and what it means
	 */
	void addOncePerPolicy(IstioPolicy policy, String cause, String field, String message) {
		String key = policy.kind() + "\u0000" + policy.qualifiedName() + "\u0000" + policy.origin().resource()
				+ "\u0000" + cause;
		Grouped existing = this.grouped.get(key);
		if (existing != null) {
			existing.others++;
			return;
		}
		Grouped first = new Grouped(problem(policy, field, message));
		this.grouped.put(key, first);
	}

	/**
	 * Returns the findings, in the order they were reported (grouped ones after the
	 * others).
	 * @return the warnings
	 */
	List<PolicyProblem> list() {
		List<PolicyProblem> all = new ArrayList<>(this.problems);
		for (Grouped group : this.grouped.values()) {
			PolicyProblem first = group.first;
			all.add((group.others == 0) ? first
					: new PolicyProblem(
							first.resource(), first.line(), first.field(), first.message() + " (and " + group.others
									+ " more place" + ((group.others == 1) ? "" : "s") + " in this policy)",
							first.severity()));
		}
		return all;
	}

	private static PolicyProblem problem(IstioPolicy policy, String field, String message) {
		PolicyOrigin origin = policy.origin();
		return new PolicyProblem(origin.resource(), origin.lineOf(field), origin.pathOf(field),
				policy.kind().kindName() + " " + policy.qualifiedName() + ": " + message,
				PolicyProblem.Severity.WARNING);
	}

	private static final class Grouped {

		private final PolicyProblem first;

		private int others;

		Grouped(PolicyProblem first) {
			this.first = first;
		}

	}

}
