package io.github.istiosecurity.internal.runtime;

import java.util.ArrayList;
import java.util.List;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.PeerAuthenticationModes;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.MtlsMode;
import io.github.istiosecurity.model.PeerAuthentication;
import org.jspecify.annotations.Nullable;

/**
 * Checks the PeerAuthentications that apply to this workload against what the server
 * offers (§4.4): STRICT on a server that never sees a client certificate would refuse
 * every request, which is an error (fail closed, and loud); PERMISSIVE asked for
 * explicitly on such a server gives no request a peer identity, which is a warning.
 */
final class PeerAuthenticationCheck {

	private static final String HOW_TO_FIX = "set server.ssl.client-auth=want (or need) with server.ssl.bundle or "
			+ "server.ssl.key-store, or istio.security.forwarded-client-cert.* behind a proxy that terminates mutual TLS";

	private PeerAuthenticationCheck() {
	}

	/**
	 * Returns why the policies cannot be enforced on this server, if they cannot.
	 * @param snapshot the compiled policies
	 * @param server what the server offers
	 * @return the error, or {@code null}
	 */
	static @Nullable String unenforceable(CompiledPolicies snapshot, ServerMtls server) {
		if (server.peerIdentities() || !asks(snapshot, server, MtlsMode.STRICT)) {
			return null;
		}
		return "PeerAuthentication " + describe(snapshot, MtlsMode.STRICT) + " requires mutual TLS (STRICT) "
				+ onPort(server) + ", but this server does not ask TLS clients for a certificate, so every request "
				+ "would be refused; " + HOW_TO_FIX + ", or change the mode";
	}

	/**
	 * Returns why PERMISSIVE mutual TLS, asked for explicitly, gives no request a peer
	 * identity on this server.
	 * @param snapshot the compiled policies
	 * @param server what the server offers
	 * @return the warning, or {@code null}
	 */
	static @Nullable String unauthenticated(CompiledPolicies snapshot, ServerMtls server) {
		if (server.peerIdentities() || !asks(snapshot, server, MtlsMode.PERMISSIVE)) {
			return null;
		}
		String policies = describe(snapshot, MtlsMode.PERMISSIVE);
		if (policies.isEmpty()) {
			// PERMISSIVE only because no PeerAuthentication says otherwise: Istio's
			// default, nothing was asked for
			return null;
		}
		return "PeerAuthentication " + policies + " asks for mutual TLS (PERMISSIVE) " + onPort(server)
				+ ", but this server does not ask TLS clients for a certificate: no request has a peer identity, and "
				+ "principals, namespaces, serviceAccounts and trustDomains never match; " + HOW_TO_FIX;
	}

	/**
	 * Whether the mode is in force on the server's port, or on any port when the port is
	 * not known.
	 */
	private static boolean asks(CompiledPolicies snapshot, ServerMtls server, MtlsMode mode) {
		if (server.port() > 0) {
			return snapshot.peerAuthentication().mode(server.port()) == mode;
		}
		PeerAuthenticationModes modes = snapshot.peerAuthentication();
		return modes.workloadMode() == mode || modes.portModes().containsValue(mode);
	}

	private static String onPort(ServerMtls server) {
		return (server.port() > 0) ? "on port " + server.port() : "on this workload";
	}

	/** The applied PeerAuthentications that set the mode, with their origins. */
	private static String describe(CompiledPolicies snapshot, MtlsMode mode) {
		List<String> names = new ArrayList<>();
		for (IstioPolicy policy : snapshot.appliedPolicies()) {
			if (policy instanceof PeerAuthentication peer
					&& (peer.mtls() == mode || peer.portLevelMtls().containsValue(mode))) {
				names.add(peer.qualifiedName() + " (" + peer.origin() + ")");
			}
		}
		return String.join(", ", names);
	}

}
