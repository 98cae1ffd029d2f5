package io.github.istiosecurity.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.jwt.JwtOutcome;
import io.github.istiosecurity.internal.jwt.TokenRequest;
import io.github.istiosecurity.internal.web.QueryStrings;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CheckRequest} as the engine and JWT processing see it, at each step of the
 * check: headers as JWT processing leaves them (§2.9), claims from the verified token or
 * as given.
 */
final class CheckAttributes implements RequestAttributes, TokenRequest {

	private final CheckRequest request;

	private final String path;

	private final @Nullable String query;

	private final Map<String, String> headers;

	private final @Nullable IpAddress sourceIp;

	private final @Nullable IpAddress remoteIp;

	private final List<String> peerIdentities;

	private @Nullable Map<String, Object> claims;

	CheckAttributes(CheckRequest request, String normalizedPath, @Nullable String query, List<String> peerIdentities) {
		this.request = request;
		this.path = normalizedPath;
		this.query = query;
		Map<String, String> headers = new LinkedHashMap<>(request.headers());
		if (request.token() != null) {
			headers.putIfAbsent("authorization", "Bearer " + request.token());
		}
		this.headers = headers;
		this.sourceIp = IpAddress.parseRequestAddress(request.sourceIp());
		this.remoteIp = (request.remoteIp() != null) ? IpAddress.parseRequestAddress(request.remoteIp())
				: this.sourceIp;
		this.peerIdentities = peerIdentities;
	}

	/**
	 * Applies what an extension authorizer that allowed the request changes on it
	 * (§3.18).
	 */
	void extensionAllowed(ExtensionDecision allowance) {
		for (String removed : allowance.removedUpstreamHeaders()) {
			this.headers.remove(removed.toLowerCase(Locale.ROOT));
		}
		allowance.upstreamHeaders().forEach((name, value) -> this.headers.put(name.toLowerCase(Locale.ROOT), value));
	}

	/**
	 * Applies JWT processing's outcome: headers removed and added, the verified claims.
	 */
	void authenticated(JwtOutcome outcome) {
		Set<String> removed = outcome.headersToRemove();
		removed.forEach(this.headers::remove);
		this.headers.putAll(outcome.headersToAdd());
		this.claims = outcome.claims();
	}

	/** Uses claims given as already verified. */
	void assumed(Map<String, Object> claims) {
		this.claims = claims;
	}

	@Override
	public String method() {
		return this.request.method();
	}

	@Override
	public @Nullable String host() {
		return this.request.host();
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public String pathWithQuery() {
		return (this.query != null) ? this.path + "?" + this.query : this.path;
	}

	@Override
	public Iterable<String> headerNames() {
		return this.headers.keySet();
	}

	@Override
	public @Nullable String header(String lowerCaseName) {
		return this.headers.get(lowerCaseName);
	}

	@Override
	public List<String> headerValues(String lowerCaseName) {
		String value = this.headers.get(lowerCaseName);
		return (value != null) ? List.of(value) : List.of();
	}

	@Override
	public @Nullable String queryParameter(String name) {
		return QueryStrings.firstValue(this.query, name);
	}

	@Override
	public @Nullable String cookie(String name) {
		String cookies = this.headers.get("cookie");
		if (cookies == null) {
			return null;
		}
		for (String cookie : cookies.split(";")) {
			int equals = cookie.indexOf('=');
			if (equals > 0 && cookie.substring(0, equals).trim().equals(name)) {
				return cookie.substring(equals + 1).trim();
			}
		}
		return null;
	}

	@Override
	public int destinationPort() {
		return this.request.port();
	}

	@Override
	public @Nullable IpAddress destinationIp() {
		return null;
	}

	@Override
	public @Nullable IpAddress sourceIp() {
		return this.sourceIp;
	}

	@Override
	public @Nullable IpAddress remoteIp() {
		return this.remoteIp;
	}

	@Override
	public List<String> peerIdentities() {
		return this.peerIdentities;
	}

	@Override
	public @Nullable Map<String, Object> jwtClaims() {
		return this.claims;
	}

}
