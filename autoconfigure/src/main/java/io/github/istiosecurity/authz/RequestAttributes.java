package io.github.istiosecurity.authz;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the engine may ask about one request (§6.2). The servlet and reactive adapters
 * implement it over their request types, computing each attribute only when a compiled
 * policy asks for it.
 */
public interface RequestAttributes {

	/**
	 * Returns the HTTP method exactly as received (case preserved).
	 * @return the method
	 */
	String method();

	/**
	 * Returns {@code :authority}: the {@code Host} header as received, including any
	 * {@code :port}, or {@code null} when the request has none.
	 * @return the authority
	 */
	@Nullable String host();

	/**
	 * Returns the normalized path (§5) without query string or fragment.
	 * @return the path
	 */
	String path();

	/**
	 * Returns {@code :path}: the normalized path with the query string, as
	 * {@code request.headers[:path]} sees it (§3.13).
	 * @return the path and query
	 */
	default String pathWithQuery() {
		return path();
	}

	/**
	 * Returns {@code :scheme}, {@code http} or {@code https}.
	 * @return the scheme
	 */
	default String scheme() {
		return "http";
	}

	/**
	 * Returns the value of a request header as the authorization step sees it (after JWT
	 * processing, §2.4): the values of a repeated header joined with {@code ,} (§3.13),
	 * or {@code null} when absent. Pseudo headers are answered by the engine itself and
	 * never asked for.
	 * @param lowerCaseName the header name in lower case
	 * @return the joined value, or {@code null}
	 */
	@Nullable String header(String lowerCaseName);

	/**
	 * Returns the names of the request's headers as the authorization step sees them, in
	 * any case, each once (an extension authorizer forwards them, §3.18). Implementations
	 * that cannot list their headers return an empty list.
	 * @return the header names
	 */
	default Iterable<String> headerNames() {
		return List.of();
	}

	/**
	 * Returns the protocol of the request as Envoy names it ({@code HTTP/1.0},
	 * {@code HTTP/1.1}, {@code HTTP/2}), for an extension authorizer.
	 * @return the protocol, or {@code null} when unknown
	 */
	default @Nullable String protocol() {
		return null;
	}

	/**
	 * Returns the local port the connection was accepted on ({@code destination.port},
	 * {@code ports}).
	 * @return the port
	 */
	int destinationPort();

	/**
	 * Returns the local address of the connection ({@code destination.ip}).
	 * @return the address, or {@code null} when unknown
	 */
	@Nullable IpAddress destinationIp();

	/**
	 * Returns the address of the socket peer ({@code source.ip}, {@code ipBlocks}), never
	 * an address taken from {@code X-Forwarded-For}.
	 * @return the address, or {@code null} when unknown
	 */
	@Nullable IpAddress sourceIp();

	/**
	 * Returns the trusted client address ({@code remote.ip}, {@code remoteIpBlocks},
	 * §3.14).
	 * @return the address, or {@code null} when unknown
	 */
	@Nullable IpAddress remoteIp();

	/**
	 * Returns the identities of a verified client certificate, in Envoy's order: every
	 * URI SAN (e.g. {@code spiffe://cluster.local/ns/foo/sa/bar}), then every DNS SAN,
	 * then the subject (§3.7); empty for plaintext or when the effective
	 * PeerAuthentication mode gives no identity.
	 * @return the peer identities
	 */
	default List<String> peerIdentities() {
		return List.of();
	}

	/**
	 * Returns the TLS SNI the peer sent ({@code connection.sni}).
	 * @return the server name, or {@code null} for plaintext or no SNI
	 */
	default @Nullable String sni() {
		return null;
	}

	/**
	 * Returns the payload of the verified JWT, with space-delimited claims already split
	 * into lists (§2.9): values are {@code String}, {@code Number}, {@code Boolean},
	 * {@code List} or {@code Map}.
	 * @return the claims, or {@code null} when the request is not authenticated by a
	 * token
	 */
	default @Nullable Map<String, Object> jwtClaims() {
		return null;
	}

}
