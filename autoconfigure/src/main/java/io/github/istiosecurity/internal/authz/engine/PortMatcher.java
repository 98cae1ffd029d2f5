package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.RequestAttributes;

import java.util.Arrays;

/**
 * True when the local port is one of the ports ({@code ports}, {@code destination.port}).
 */
public final class PortMatcher implements RequestMatcher {

	private final int[] ports;

	/**
	 * Creates the matcher.
	 * @param ports the ports
	 */
	public PortMatcher(int... ports) {
		this.ports = ports.clone();
	}

	@Override
	public boolean matches(RequestAttributes request) {
		int port = request.destinationPort();
		for (int candidate : this.ports) {
			if (candidate == port) {
				return true;
			}
		}
		return false;
	}

	/** The ports; not to be modified. */
	int[] ports() {
		return this.ports;
	}

	@Override
	public String toString() {
		return "port in " + Arrays.toString(this.ports);
	}

}
