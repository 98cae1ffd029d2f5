package io.github.istiosecurity.autoconfigure;

import java.util.List;

/**
 * Thrown at start-up of a web application whose policies cannot be enforced because
 * libraries the enforcement needs are not on the class path: the auto-configuration would
 * back off and the application would serve every request without its policies, so it does
 * not start.
 */
final class MissingLibrariesException extends RuntimeException {

	private final String stack;

	private final List<String> missing;

	/**
	 * Creates the exception.
	 * @param stack the web stack, {@code servlet} or {@code reactive}
	 * @param missing each missing class with its artifact
	 */
	MissingLibrariesException(String stack, List<String> missing) {
		super("The Istio policies cannot be enforced in this " + stack + " web application: "
				+ String.join(", ", missing) + " not on the class path");
		this.stack = stack;
		this.missing = List.copyOf(missing);
	}

	String stack() {
		return this.stack;
	}

	List<String> missing() {
		return this.missing;
	}

}
