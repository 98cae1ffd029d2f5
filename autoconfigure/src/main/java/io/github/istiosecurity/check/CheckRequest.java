package io.github.istiosecurity.check;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A hypothetical request to decide: the request line, headers, addresses, and who is
 * calling: either a token (verified like a real one, against the issuer's keys) or a
 * request principal and claims taken as already verified, and optionally the peer's mTLS
 * identity.
 *
 * @param method the HTTP method
 * @param path the request-target's path as a client would send it, optionally with a
 * query; normalized like a real request's
 * @param host the {@code Host} header ({@code :authority})
 * @param port the local port the request arrives on ({@code destination.port})
 * @param headers request headers by lower-case name
 * @param sourceIp the connection's peer address ({@code source.ip})
 * @param remoteIp the client address behind trusted proxies ({@code remote.ip});
 * {@code null} for the source IP
 * @param token a JWT, verified as a real request's would be; {@code null} when none
 * @param principal the request principal {@code <iss>/<sub>}, taken as verified;
 * {@code null} when none
 * @param claims the token claims taken as verified (with the principal, or alone);
 * {@code null} when no token
 * @param peerPrincipal the peer's mTLS identity, e.g.
 * {@code cluster.local/ns/sleep/sa/sleep}; {@code null} for plaintext
 */
public record CheckRequest(String method, String path, String host, int port, Map<String, String> headers,
		String sourceIp, @Nullable String remoteIp, @Nullable String token, @Nullable String principal,
		@Nullable Map<String, Object> claims, @Nullable String peerPrincipal) {

	/** The port a request is assumed to arrive on when none is given. */
	public static final int DEFAULT_PORT = 8080;

	public CheckRequest {
		Map<String, String> lowerCase = new LinkedHashMap<>();
		headers.forEach((name, value) -> lowerCase.put(name.toLowerCase(Locale.ROOT), value));
		headers = java.util.Collections.unmodifiableMap(lowerCase);
		claims = (claims != null) ? java.util.Collections.unmodifiableMap(new LinkedHashMap<>(claims)) : null;
		if (token != null && (principal != null || claims != null)) {
			throw new IllegalArgumentException("Give either a token or a principal and claims, not both");
		}
	}

	/**
	 * Starts a request: {@code GET /} on {@code localhost}, port {@value #DEFAULT_PORT},
	 * from {@code 127.0.0.1}, without token or peer identity.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public String toString() {
		// never the token or claim values
		return "CheckRequest[" + this.method + " " + this.path + ", host=" + this.host + ", port=" + this.port
				+ ((this.token != null) ? ", token" : "")
				+ ((this.principal != null) ? ", principal=" + this.principal : "")
				+ ((this.claims != null) ? ", claims=" + this.claims.keySet() : "")
				+ ((this.peerPrincipal != null) ? ", peer=" + this.peerPrincipal : "") + "]";
	}

	/**
	 * Builds a {@link CheckRequest}.
	 */
	public static final class Builder {

		private String method = "GET";

		private String path = "/";

		private String host = "localhost";

		private int port = DEFAULT_PORT;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private String sourceIp = "127.0.0.1";

		private @Nullable String remoteIp;

		private @Nullable String token;

		private @Nullable String principal;

		private @Nullable Map<String, Object> claims;

		private @Nullable String peerPrincipal;

		private Builder() {
		}

		/**
		 * Sets the method.
		 * @param method the method, as sent (case kept)
		 * @return this builder
		 */
		public Builder method(String method) {
			this.method = method;
			return this;
		}

		/**
		 * Sets the path, as a client would send it (optionally with a query).
		 * @param path the path
		 * @return this builder
		 */
		public Builder path(String path) {
			this.path = path;
			return this;
		}

		/**
		 * Sets the {@code Host} header.
		 * @param host the host, with a port if the client sends one
		 * @return this builder
		 */
		public Builder host(String host) {
			this.host = host;
			return this;
		}

		/**
		 * Sets the local port the request arrives on.
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * Adds a header; a repeated name is joined with {@code ,} as Envoy joins it.
		 * @param name the name
		 * @param value the value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.merge(name.toLowerCase(Locale.ROOT), value, (first, second) -> first + "," + second);
			return this;
		}

		/**
		 * Sets the connection's peer address.
		 * @param sourceIp an IPv4 or IPv6 address
		 * @return this builder
		 */
		public Builder sourceIp(String sourceIp) {
			this.sourceIp = sourceIp;
			return this;
		}

		/**
		 * Sets the client address behind trusted proxies ({@code remote.ip}); the source
		 * IP by default.
		 * @param remoteIp an IPv4 or IPv6 address
		 * @return this builder
		 */
		public Builder remoteIp(String remoteIp) {
			this.remoteIp = remoteIp;
			return this;
		}

		/**
		 * Sends a JWT as {@code Authorization: Bearer}, verified as a real request's
		 * would be.
		 * @param token the token
		 * @return this builder
		 */
		public Builder token(String token) {
			this.token = token;
			return this;
		}

		/**
		 * Sets the request principal {@code <iss>/<sub>}, as if a verified token carried
		 * it.
		 * @param principal the principal
		 * @return this builder
		 */
		public Builder principal(String principal) {
			this.principal = principal;
			return this;
		}

		/**
		 * Adds a claim of the (assumed verified) token.
		 * @param name the claim name
		 * @param value a {@code String}, {@code Number}, {@code Boolean}, {@code List} or
		 * {@code Map}
		 * @return this builder
		 */
		public Builder claim(String name, Object value) {
			if (this.claims == null) {
				this.claims = new LinkedHashMap<>();
			}
			this.claims.put(name, value);
			return this;
		}

		/**
		 * Sets the claims of the (assumed verified) token.
		 * @param claims the claims
		 * @return this builder
		 */
		public Builder claims(Map<String, Object> claims) {
			this.claims = new LinkedHashMap<>(claims);
			return this;
		}

		/**
		 * Sets the peer's mTLS identity.
		 * @param peerPrincipal e.g. {@code cluster.local/ns/sleep/sa/sleep} (or a
		 * {@code spiffe://} URI)
		 * @return this builder
		 */
		public Builder peerPrincipal(String peerPrincipal) {
			this.peerPrincipal = peerPrincipal;
			return this;
		}

		/**
		 * Builds the request.
		 * @return the request
		 * @throws IllegalArgumentException when both a token and a principal or claims
		 * are given
		 */
		public CheckRequest build() {
			return new CheckRequest(this.method, this.path, this.host, this.port, this.headers, this.sourceIp,
					this.remoteIp, this.token, this.principal, this.claims, this.peerPrincipal);
		}

	}

}
