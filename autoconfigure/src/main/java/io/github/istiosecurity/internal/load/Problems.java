package io.github.istiosecurity.internal.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.istiosecurity.internal.load.PolicyProblem.Severity;

/**
 * Collects the problems of one resource. A webhook problem on the same line and field as
 * a YAML or schema problem is dropped, which keeps a check that both the CRD schema and
 * Istio's webhook make from being reported twice (the schema's message wins, as the API
 * server runs it first).
 */
final class Problems {

	private final String resource;

	private final List<PolicyProblem> problems = new ArrayList<>();

	private final Set<String> seen = new HashSet<>();

	private final Set<String> schemaFields = new HashSet<>();

	private boolean webhookLayer;

	Problems(String resource) {
		this.resource = resource;
	}

	String resource() {
		return this.resource;
	}

	void error(int line, String field, String message) {
		add(line, field, message, Severity.ERROR);
	}

	void warning(int line, String field, String message) {
		add(line, field, message, Severity.WARNING);
	}

	private void add(int line, String field, String message, Severity severity) {
		String shownField = field.isEmpty() ? PolicyProblem.NO_FIELD : field;
		String where = severity + "\u0000" + line + "\u0000" + shownField;
		if (this.webhookLayer && this.schemaFields.contains(where)) {
			return;
		}
		if (!this.webhookLayer) {
			this.schemaFields.add(where);
		}
		if (this.seen.add(where + "\u0000" + message)) {
			this.problems.add(new PolicyProblem(this.resource, line, shownField, message, severity));
		}
	}

	/**
	 * Switches between the YAML and schema layers (false) and the webhook layer (true).
	 */
	void webhookLayer(boolean active) {
		this.webhookLayer = active;
	}

	int errorCount() {
		int count = 0;
		for (PolicyProblem problem : this.problems) {
			if (problem.severity() == Severity.ERROR) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Returns the problems of the given severity, ordered by line (stable, so one line
	 * keeps the order in which the layers found them).
	 */
	List<PolicyProblem> list(Severity severity) {
		return this.problems.stream()
			.filter((problem) -> problem.severity() == severity)
			.sorted(Comparator.comparingInt(PolicyProblem::line))
			.toList();
	}

}
