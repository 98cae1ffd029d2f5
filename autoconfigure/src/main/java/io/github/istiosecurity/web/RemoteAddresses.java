package io.github.istiosecurity.web;

import java.util.List;

import io.github.istiosecurity.authz.match.IpAddress;
import org.jspecify.annotations.Nullable;

/**
 * Derives {@code remote.ip}, Envoy's trusted client address (§3.14): with no trusted proxies (a sidecar) the
 * right-most {@code X-Forwarded-For} address, with N trusted proxies the N-th address from the right; the
 * socket peer when the header has no usable address.
 */
public final class RemoteAddresses {

	private final int trustedProxies;

	/**
	 * Creates the resolver.
	 * @param trustedProxies Istio's {@code numTrustedProxies}
	 */
	public RemoteAddresses(int trustedProxies) {
		this.trustedProxies = Math.max(0, trustedProxies);
	}

	/**
	 * Resolves the trusted client address.
	 * @param forwardedFor every {@code X-Forwarded-For} header value, in order
	 * @param socketPeer the socket peer address
	 * @return the address, or {@code null} when neither is usable
	 */
	public @Nullable IpAddress resolve(List<String> forwardedFor, @Nullable IpAddress socketPeer) {
		if (forwardedFor.isEmpty()) {
			return socketPeer;
		}
		String[] entries = String.join(",", forwardedFor).split(",");
		int fromRight = Math.max(1, this.trustedProxies);
		int index = entries.length - fromRight;
		if (index < 0) {
			return socketPeer;
		}
		IpAddress address = IpAddress.parseRequestAddress(entries[index].trim());
		return (address != null) ? address : socketPeer;
	}

}
