package io.github.istiosecurity.model;

/**
 * Where a policy came from: a resource description (a file, a classpath entry, or a Kubernetes object) and
 * the 1-based line its document starts on (0 when there is no line, e.g. for an API object).
 *
 * @param resource a human-readable name of the source, e.g. {@code file:/etc/policies/authz.yaml}
 * @param line the line of the document's first line, or 0
 */
public record PolicyOrigin(String resource, int line) {

	@Override
	public String toString() {
		return (this.line > 0) ? this.resource + ":" + this.line : this.resource;
	}

}
