package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.runtime.UnenforceableMtlsException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped because a PeerAuthentication requires mutual TLS (STRICT)
 * on a server that does not authenticate TLS clients: the application would refuse every
 * request, so it fails closed, and loudly.
 */
final class UnenforceableMtlsFailureAnalyzer extends AbstractFailureAnalyzer<UnenforceableMtlsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnenforceableMtlsException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Configure TLS client authentication for the server: a PEM or JKS SSL bundle whose trust store holds "
						+ "the mesh CA (spring.ssl.bundle.pem.<name>.keystore.*, .truststore.certificate), "
						+ "'server.ssl.bundle=<name>' and 'server.ssl.client-auth=want' (or 'need'). Behind a proxy "
						+ "that terminates mutual TLS, set 'istio.security.forwarded-client-cert.enabled=true' and "
						+ "'istio.security.forwarded-client-cert.trusted-proxies'. Or make the PeerAuthentication "
						+ "PERMISSIVE or DISABLE for this workload or port.",
				cause);
	}

}
