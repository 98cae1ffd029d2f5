package io.github.istiosecurity.internal.load;

import java.util.List;

/**
 * Thrown when policies cannot be loaded. It carries every error of every resource of the
 * failed call, so a user sees all of them at once; its message lists them one per line.
 */
public class PolicyLoadException extends RuntimeException {

	private final List<PolicyProblem> problems;

	/**
	 * Creates an exception for the given errors.
	 * @param problems the errors, at least one
	 */
	public PolicyLoadException(List<PolicyProblem> problems) {
		super(render(problems));
		this.problems = List.copyOf(problems);
	}

	/**
	 * Returns every error that made loading fail.
	 * @return the errors, in resource order, then by line
	 */
	public List<PolicyProblem> problems() {
		return this.problems;
	}

	private static String render(List<PolicyProblem> problems) {
		StringBuilder message = new StringBuilder();
		message.append(problems.size())
			.append((problems.size() == 1) ? " invalid policy problem:" : " invalid policy problems:");
		for (PolicyProblem problem : problems) {
			message.append(System.lineSeparator()).append(problem);
		}
		return message.toString();
	}

}
