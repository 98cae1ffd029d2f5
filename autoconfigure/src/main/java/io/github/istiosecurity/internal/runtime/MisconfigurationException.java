package io.github.istiosecurity.internal.runtime;

import java.util.List;

/**
 * Thrown at start-up when {@code istio.security.require-policies} is set and the loaded
 * policies do not protect this workload, so that the application does not serve every
 * request unchecked.
 */
public class MisconfigurationException extends RuntimeException {

	private final transient List<Misconfiguration> misconfigurations;

	/**
	 * Creates the exception.
	 * @param misconfigurations every cause found, at least one
	 */
	public MisconfigurationException(List<Misconfiguration> misconfigurations) {
		super(render(misconfigurations));
		this.misconfigurations = List.copyOf(misconfigurations);
	}

	/**
	 * Returns every cause found.
	 * @return the causes
	 */
	public List<Misconfiguration> misconfigurations() {
		return this.misconfigurations;
	}

	private static String render(List<Misconfiguration> misconfigurations) {
		StringBuilder message = new StringBuilder("The loaded Istio policies do not protect this workload:");
		misconfigurations
			.forEach((found) -> message.append(System.lineSeparator()).append("  ").append(found.message()));
		return message.toString();
	}

}
