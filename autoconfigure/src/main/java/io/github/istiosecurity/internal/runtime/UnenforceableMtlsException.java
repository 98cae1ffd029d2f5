package io.github.istiosecurity.internal.runtime;

/**
 * Thrown at start-up when a PeerAuthentication requires mutual TLS (STRICT) on a server
 * that never sees a client certificate: every request would be refused, so the
 * application does not start.
 */
public class UnenforceableMtlsException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message which PeerAuthentication, on which port, and what to configure
	 */
	public UnenforceableMtlsException(String message) {
		super(message);
	}

}
