package io.github.istiosecurity.internal.kubernetes;

import java.time.Duration;

/**
 * Thrown at start-up when the policies could not be listed from the Kubernetes API within
 * the sync timeout. The application does not start: serving with an incomplete (possibly
 * empty) policy set would allow what the missing policies deny.
 */
public class KubernetesPolicySyncException extends RuntimeException {

	private final Duration timeout;

	private final String pending;

	/**
	 * Creates the exception.
	 * @param timeout the sync timeout that expired
	 * @param pending the resources not yet listed, e.g.
	 * {@code authorizationpolicies.v1 in foo}
	 * @param lastError the last error an informer reported, if any
	 */
	public KubernetesPolicySyncException(Duration timeout, String pending, String lastError) {
		super("Istio policies were not listed from the Kubernetes API within " + timeout + " (still pending: " + pending
				+ "); last error: " + lastError);
		this.timeout = timeout;
		this.pending = pending;
	}

	/**
	 * Returns the sync timeout that expired.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Returns the resources not yet listed when the timeout expired.
	 * @return the pending resources
	 */
	public String pending() {
		return this.pending;
	}

}
