package io.github.istiosecurity.internal.web;

import java.util.List;

import io.github.istiosecurity.authz.IpAddress;
import org.jspecify.annotations.Nullable;

/**
 * Derives {@code remote.ip}, Envoy's trusted client address (§3.14), as the connection
 * manager's {@code ConnectionManagerUtility::mutateRequestHeaders} does before any filter
 * runs:
 * <ul>
 * <li>with no trusted proxies, a sidecar ({@code use_remote_address: false}, the default
 * XFF original-IP detection with {@code xff_num_trusted_hops: 0}):
 * {@code getLastAddressFromXFF(headers, 0)}, the right-most {@code X-Forwarded-For}
 * entry;</li>
 * <li>with {@code numTrustedProxies = N > 0}, a gateway
 * ({@code use_remote_address: true}, {@code xff_num_trusted_hops: N}):
 * {@code getLastAddressFromXFF(headers, N - 1)}, the N-th entry from the right;</li>
 * <li>in both, the socket peer when the header is absent or that entry is not an
 * address.</li>
 * </ul>
 * How the header is joined, cut and parsed is {@link ForwardedFor}'s, after Envoy's
 * functions.
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
	 * @param forwardedFor every {@code X-Forwarded-For} header line, in order
	 * @param socketPeer the socket peer address
	 * @return the address, or {@code null} when neither is usable
	 */
	public @Nullable IpAddress resolve(List<String> forwardedFor, @Nullable IpAddress socketPeer) {
		String joined = ForwardedFor.join(forwardedFor);
		if (joined == null) {
			return socketPeer;
		}
		int skip = (this.trustedProxies > 0) ? this.trustedProxies - 1 : 0;
		IpAddress address = ForwardedFor.lastAddress(joined, skip);
		return (address != null) ? address : socketPeer;
	}

}
