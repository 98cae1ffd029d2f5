package io.github.istiosecurity.autoconfigure;

import java.util.Locale;

import org.springframework.core.env.Environment;

/**
 * Whether this application's own server authenticates TLS clients, the only source of a
 * peer identity ({@code principals}, {@code namespaces}, ...): the web layer reads the
 * verified client certificate of the connection. That takes
 * {@code server.ssl.client-auth} set to {@code want} or {@code need} on an enabled SSL
 * configuration (key store, certificate or bundle). A server customized in code is not
 * seen here; the policy lint may then warn needlessly, and never changes a decision.
 */
final class ClientCertificateAuthentication {

	private ClientCertificateAuthentication() {
	}

	/**
	 * Returns whether the server is configured to ask TLS clients for a certificate.
	 * @param environment the environment
	 * @return whether requests can carry a peer identity
	 */
	static boolean isConfigured(Environment environment) {
		String clientAuth = environment.getProperty("server.ssl.client-auth", "none").toLowerCase(Locale.ROOT);
		if (!clientAuth.equals("want") && !clientAuth.equals("need")) {
			return false;
		}
		if (!environment.getProperty("server.ssl.enabled", Boolean.class, true)) {
			return false;
		}
		return environment.containsProperty("server.ssl.bundle") || environment.containsProperty("server.ssl.key-store")
				|| environment.containsProperty("server.ssl.certificate");
	}

}
