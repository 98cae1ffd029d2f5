package io.github.istiosecurity.internal.web;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.internal.authz.match.IpBlock;
import org.jspecify.annotations.Nullable;

/**
 * Where a request's peer identity (§3.7, §4.5) comes from: the verified client
 * certificate of the connection, or, when enabled, the {@code X-Forwarded-Client-Cert}
 * header of a trusted proxy that terminated mutual TLS in front of the application. The
 * header is a claim anyone can write, so it is believed only from a connection whose peer
 * address (never {@code X-Forwarded-For}) is within a trusted proxy block; from anyone
 * else, or when not enabled, it is ignored and never taken for an identity.
 */
public final class PeerIdentitySource {

	/**
	 * The connection's client certificate only: {@code X-Forwarded-Client-Cert} is
	 * ignored.
	 */
	public static final PeerIdentitySource CONNECTION = new PeerIdentitySource(false, List.of());

	private final boolean forwardedClientCert;

	private final IpBlock[] trustedProxies;

	/**
	 * Creates the source.
	 * @param forwardedClientCert whether a trusted proxy's
	 * {@code X-Forwarded-Client-Cert} is read
	 * @param trustedProxies the addresses or CIDR blocks of the trusted proxies
	 * @throws IllegalArgumentException if a trusted proxy is not an address or CIDR block
	 */
	public PeerIdentitySource(boolean forwardedClientCert, List<String> trustedProxies) {
		List<IpBlock> blocks = new ArrayList<>();
		for (String proxy : trustedProxies) {
			IpBlock block = IpBlock.parse(proxy.trim());
			if (block == null) {
				throw new IllegalArgumentException("'" + proxy + "' is not an IP address or CIDR block");
			}
			blocks.add(block);
		}
		this.forwardedClientCert = forwardedClientCert;
		this.trustedProxies = blocks.toArray(new IpBlock[0]);
	}

	/**
	 * Returns whether {@code X-Forwarded-Client-Cert} is read from anyone at all.
	 * @return whether the header is enabled and at least one proxy is trusted
	 */
	public boolean readsForwardedClientCert() {
		return this.forwardedClientCert && this.trustedProxies.length > 0;
	}

	/**
	 * Returns the peer identities of a request in Envoy's order. From a trusted proxy
	 * that sent the header, the URI SANs of its element (none if it has none: the proxy's
	 * own certificate is not its client's); otherwise the connection's verified
	 * certificate (every URI SAN, then every DNS SAN, then the subject).
	 * @param chain the connection's verified client certificate chain, leaf first, or
	 * {@code null}
	 * @param forwardedClientCert every {@code X-Forwarded-Client-Cert} line of the
	 * request
	 * @param socketPeer the connection's peer address, or {@code null}
	 * @return the identities, empty without any
	 */
	public List<String> identities(X509Certificate @Nullable [] chain, List<String> forwardedClientCert,
			@Nullable IpAddress socketPeer) {
		if (this.forwardedClientCert && !forwardedClientCert.isEmpty() && trusted(socketPeer)) {
			return List.copyOf(ForwardedClientCert.lastElementUris(forwardedClientCert));
		}
		return PeerIdentities.of(chain);
	}

	private boolean trusted(@Nullable IpAddress socketPeer) {
		if (socketPeer == null) {
			return false;
		}
		for (IpBlock proxy : this.trustedProxies) {
			if (proxy.contains(socketPeer)) {
				return true;
			}
		}
		return false;
	}

}
