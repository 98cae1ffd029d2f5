package io.github.istiosecurity.model;

import java.util.Map;

/**
 * Where a policy came from: a resource description (a file, a classpath entry, or a
 * Kubernetes object), the 1-based line its document starts on (0 when there is no line,
 * e.g. for an API object), and the lines of its fields, so that a finding about a field
 * can name its line.
 *
 * @param resource a human-readable name of the source, e.g.
 * {@code file:/etc/policies/authz.yaml}
 * @param line the line of the document's first line, or 0
 * @param path the object's path in its document: empty, or {@code items[2]} for an item
 * of a {@code kind: List}
 * @param fieldLines the line of each field of the object by its path relative to the
 * object, e.g. {@code spec.rules[0].to[0].operation.paths[1]}; empty when unknown
 */
public record PolicyOrigin(String resource, int line, String path, Map<String, Integer> fieldLines) {

	/**
	 * How the resource of an object read from the Kubernetes API starts:
	 * {@code k8s:<Kind> <namespace>/<name>}.
	 */
	public static final String KUBERNETES_PREFIX = "k8s:";

	public PolicyOrigin {
		fieldLines = Map.copyOf(fieldLines);
	}

	/**
	 * Returns whether the policy was read from the Kubernetes API rather than a file.
	 * @return whether from Kubernetes
	 */
	public boolean fromKubernetes() {
		return this.resource.startsWith(KUBERNETES_PREFIX);
	}

	/**
	 * Creates an origin without field lines.
	 * @param resource a human-readable name of the source
	 * @param line the line of the document's first line, or 0
	 */
	public PolicyOrigin(String resource, int line) {
		this(resource, line, "", Map.of());
	}

	/**
	 * Returns the line of a field, else of its nearest enclosing field that has one, else
	 * the document's line.
	 * @param field the field's path relative to the object, e.g.
	 * {@code spec.selector.matchLabels.app}
	 * @return the line, or 0 when no line is known
	 */
	public int lineOf(String field) {
		String current = field;
		while (!current.isEmpty()) {
			Integer found = this.fieldLines.get(current);
			if (found != null) {
				return found;
			}
			current = parentOf(current);
		}
		return this.line;
	}

	/**
	 * Returns the path of a field as the loader names it, including the object's path in
	 * its document.
	 * @param field the field's path relative to the object
	 * @return the full path, e.g. {@code items[2].spec.selector}
	 */
	public String pathOf(String field) {
		return this.path.isEmpty() ? field : this.path + "." + field;
	}

	/**
	 * Drops the last step of a path: an index ({@code [1]}) or a name ({@code .paths}).
	 * Names may hold dots (label keys, annotations), so a name step is cut at the last
	 * dot, which may leave a prefix without a line: the loop goes on to shorter prefixes.
	 */
	private static String parentOf(String field) {
		if (field.endsWith("]")) {
			int open = field.lastIndexOf('[');
			return (open > 0) ? field.substring(0, open) : "";
		}
		int dot = field.lastIndexOf('.');
		return (dot > 0) ? field.substring(0, dot) : "";
	}

	@Override
	public String toString() {
		return (this.line > 0) ? this.resource + ":" + this.line : this.resource;
	}

}
