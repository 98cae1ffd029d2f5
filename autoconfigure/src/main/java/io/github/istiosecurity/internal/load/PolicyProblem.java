package io.github.istiosecurity.internal.load;

/**
 * A problem found while loading a policy resource: where it is (resource, line, field
 * path) and what is wrong.
 *
 * @param resource the resource the problem was found in, e.g.
 * {@code file:/etc/istio/authz.yaml}
 * @param line the 1-based line of the offending key or list item, counting every line of
 * the resource
 * @param field the field path, e.g. {@code spec.rules[1].when[0].key}, or {@code -} when
 * no field applies (YAML syntax errors, limits)
 * @param message what is wrong, in Istio's or Kubernetes' words where they have one
 * @param severity whether the problem rejects the resource
 */
public record PolicyProblem(String resource, int line, String field, String message, Severity severity) {

	/** The field of problems that concern no particular field. */
	public static final String NO_FIELD = "-";

	/**
	 * Renders the problem as {@code resource:line: field: message}.
	 * @return the rendered problem
	 */
	@Override
	public String toString() {
		return this.resource + ":" + this.line + ": " + this.field + ": " + this.message;
	}

	/**
	 * How serious a {@link PolicyProblem} is.
	 */
	public enum Severity {

		/** The resource is invalid; Istio would reject it. */
		ERROR,

		/**
		 * The resource is valid, but Istio would print this warning when admitting it.
		 */
		WARNING

	}

}
