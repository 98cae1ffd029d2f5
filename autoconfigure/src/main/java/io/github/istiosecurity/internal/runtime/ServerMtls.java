package io.github.istiosecurity.internal.runtime;

/**
 * What this application's server offers for mutual TLS, as its configuration says, so
 * that a PeerAuthentication the server cannot honour is found when the policies are
 * loaded rather than on the first request.
 *
 * @param clientCertificates whether the server asks TLS clients for a certificate (client
 * authentication {@code want} or {@code need})
 * @param forwardedClientCert whether peer identities are read from trusted proxies'
 * {@code X-Forwarded-Client-Cert}
 * @param port the port the server listens on, or 0 when it is not known before start-up
 * (a random port): then every mode of a PeerAuthentication counts
 */
public record ServerMtls(boolean clientCertificates, boolean forwardedClientCert, int port) {

	/**
	 * Nothing is known about the server: PeerAuthentications are not checked against it.
	 */
	public static final ServerMtls UNKNOWN = new ServerMtls(true, false, 0);

	/**
	 * Returns whether a request can carry a peer identity at all.
	 * @return whether client certificates or forwarded client certificates are read
	 */
	public boolean peerIdentities() {
		return this.clientCertificates || this.forwardedClientCert;
	}

}
