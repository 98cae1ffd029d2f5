package io.github.istiosecurity.internal.jwt;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * What JWT processing decided for one request (§2.7, §2.8, §2.9). An adapter first
 * removes {@link #headersToRemove()}, then adds {@link #headersToAdd()}; when
 * {@link #status()} is {@link Status#REJECTED} it answers {@link #httpStatus()} with
 * {@link #body()} as {@code text/plain} and a
 * {@code WWW-Authenticate: Bearer realm="…", error="invalid_token"} header instead of
 * calling the application.
 */
public final class JwtOutcome {

	private static final JwtGrantedAuthoritiesConverter AUTHORITIES = new JwtGrantedAuthoritiesConverter();

	/** Heap of the outcome, its remembered record and its set and map of headers. */
	private static final int OBJECT_BYTES = 256;

	/** Heap of a string beyond its characters. */
	private static final int STRING_BYTES = 48;

	/** Heap of one entry of a set or map. */
	private static final int ENTRY_BYTES = 48;

	/**
	 * No rule applied, or a CORS preflight: nothing checked, nothing removed (§2.7,
	 * §2.11).
	 */
	public static final JwtOutcome NOT_PROCESSED = new JwtOutcome(Status.NOT_PROCESSED, null, null, null, null,
			Set.of(), Map.of());

	private final Status status;

	private final @Nullable ParsedToken token;

	private final @Nullable Map<String, Object> claims;

	private final @Nullable String requestPrincipal;

	private final @Nullable JwtFailure failure;

	private final Set<String> headersToRemove;

	private final Map<String, String> headersToAdd;

	private JwtOutcome(Status status, @Nullable ParsedToken token, @Nullable Map<String, Object> claims,
			@Nullable String requestPrincipal, @Nullable JwtFailure failure, Set<String> headersToRemove,
			Map<String, String> headersToAdd) {
		this.status = status;
		this.token = token;
		this.claims = claims;
		this.requestPrincipal = requestPrincipal;
		this.failure = failure;
		this.headersToRemove = headersToRemove;
		this.headersToAdd = headersToAdd;
	}

	/**
	 * Returns an estimate of the heap this outcome holds beyond its token, for the
	 * verified-token cache's byte bound (a cached token remembers its outcome): its own
	 * objects, the principal, the headers' names and values, and the claims as matched
	 * where they are not the token's own map (a copy with the space-delimited claims
	 * split into words). Computed when asked: once per cache entry.
	 * @return the estimate in bytes; 0 unless {@link Status#AUTHENTICATED}
	 */
	int retainedBytes() {
		ParsedToken token = this.token;
		Map<String, Object> claims = this.claims;
		if (token == null || claims == null) {
			return 0;
		}
		String principal = this.requestPrincipal;
		long bytes = OBJECT_BYTES;
		if (principal != null) {
			bytes += STRING_BYTES + principal.length();
		}
		for (String name : this.headersToRemove) {
			bytes += ENTRY_BYTES + name.length();
		}
		for (Map.Entry<String, String> header : this.headersToAdd.entrySet()) {
			bytes += ENTRY_BYTES + 2L * STRING_BYTES + header.getKey().length() + header.getValue().length();
		}
		if (claims != token.claims) {
			for (Map.Entry<String, Object> claim : claims.entrySet()) {
				bytes += ENTRY_BYTES;
				if (claim.getValue() != token.claims.get(claim.getKey()) && claim.getValue() instanceof List<?> words) {
					for (Object word : words) {
						bytes += STRING_BYTES + ((word instanceof String text) ? text.length() : 0);
					}
				}
			}
		}
		return (int) Math.min(Integer.MAX_VALUE, bytes);
	}

	static JwtOutcome unauthenticated(Set<String> sanitized) {
		return new JwtOutcome(Status.UNAUTHENTICATED, null, null, null, null, sanitized, Map.of());
	}

	static JwtOutcome rejected(JwtFailure failure, Set<String> sanitized) {
		return new JwtOutcome(Status.REJECTED, null, null, null, failure, sanitized, Map.of());
	}

	static JwtOutcome authenticated(ParsedToken token, Map<String, Object> claims, Set<String> headersToRemove,
			Map<String, String> headersToAdd) {
		String principal = (token.issuer != null && token.subject != null) ? token.issuer + "/" + token.subject : null;
		return new JwtOutcome(Status.AUTHENTICATED, token, claims, principal, null, Set.copyOf(headersToRemove),
				Map.copyOf(headersToAdd));
	}

	/**
	 * Returns what happened.
	 * @return the status
	 */
	public Status status() {
		return this.status;
	}

	/**
	 * Returns the verified token as Spring Security's {@link Jwt}.
	 * @return the token, or {@code null} unless {@link Status#AUTHENTICATED} (and also
	 * for a verified token with an empty payload, which Spring's {@code Jwt} cannot hold)
	 */
	public @Nullable Jwt jwt() {
		ParsedToken token = this.token;
		return (token != null) ? token.springJwt() : null;
	}

	/**
	 * Returns the payload as authorization matches it: the token's JSON values
	 * ({@code String}, {@code Long}/{@code Double}, {@code Boolean}, {@code List},
	 * {@code Map}), with {@code scope}, {@code permission} and the rule's
	 * {@code spaceDelimitedClaims} split into lists of words (§2.9).
	 * @return the claims, or {@code null} unless {@link Status#AUTHENTICATED}
	 */
	public @Nullable Map<String, Object> claims() {
		return this.claims;
	}

	/**
	 * Returns the request principal {@code <iss>/<sub>}.
	 * @return the principal, or {@code null} unless authenticated by a token with string
	 * {@code iss} and {@code sub} (D17)
	 */
	public @Nullable String requestPrincipal() {
		return this.requestPrincipal;
	}

	/**
	 * Returns the HTTP status of a rejection (§2.8).
	 * @return 401, 403 for "Audiences in Jwt are not allowed", or 0 unless
	 * {@link Status#REJECTED}
	 */
	public int httpStatus() {
		JwtFailure failure = this.failure;
		return (failure != null) ? failure.httpStatus() : 0;
	}

	/**
	 * Returns the response body of a rejection: Istio's exact status string (§2.6), e.g.
	 * {@code Jwt is expired}.
	 * @return the body, or {@code ""} unless {@link Status#REJECTED}
	 */
	public String body() {
		JwtFailure failure = this.failure;
		return (failure != null) ? failure.status() : "";
	}

	/**
	 * Returns why the token was rejected, as one of a small fixed set of reasons (for
	 * metrics).
	 * @return the reason, or {@code null} unless {@link Status#REJECTED}
	 */
	public @Nullable JwtFailureReason failureReason() {
		JwtFailure failure = this.failure;
		return (failure != null) ? failure.reason() : null;
	}

	/**
	 * Returns the lower-case names of the headers to remove before authorization and the
	 * application see the request: every rule's output headers (so clients cannot forge
	 * them, §2.9) and, unless {@code forwardOriginalToken}, the header that carried the
	 * verified token.
	 * @return the header names; empty for {@link Status#NOT_PROCESSED}
	 */
	public Set<String> headersToRemove() {
		return this.headersToRemove;
	}

	/**
	 * Returns the headers to add after removal: {@code outputPayloadToHeader} and
	 * {@code outputClaimToHeaders} (§2.9).
	 * @return lower-case header names and values; empty unless
	 * {@link Status#AUTHENTICATED}
	 */
	public Map<String, String> headersToAdd() {
		return this.headersToAdd;
	}

	/**
	 * Returns the Spring Security authentication of an authenticated request: a
	 * {@link JwtAuthenticationToken} named {@code <iss>/<sub>} (the token's {@code sub}
	 * when there is no request principal) with {@code SCOPE_} authorities from
	 * {@code scope}/{@code scp}, as Spring's {@link JwtGrantedAuthoritiesConverter}
	 * derives them.
	 * @return the authentication
	 * @throws IllegalStateException unless {@link Status#AUTHENTICATED} with a token
	 * Spring can represent (see {@link #jwt()})
	 */
	public Authentication authentication() {
		Jwt jwt = jwt();
		if (this.status != Status.AUTHENTICATED || jwt == null) {
			throw new IllegalStateException("No token authenticates this request (" + this.status + ")");
		}
		Collection<GrantedAuthority> authorities = AUTHORITIES.convert(jwt);
		String principal = this.requestPrincipal;
		return (principal != null) ? new JwtAuthenticationToken(jwt, authorities, principal)
				: new JwtAuthenticationToken(jwt, authorities);
	}

	@Override
	public String toString() {
		// Never the token or its claims.
		return "JwtOutcome[" + this.status + ((this.failure != null) ? ", " + this.failure.status() : "") + "]";
	}

	/**
	 * What JWT processing did with the request.
	 */
	public enum Status {

		/**
		 * No JWT rules apply, or the request is a CORS preflight (§2.11): nothing was
		 * looked at.
		 */
		NOT_PROCESSED,

		/** No rule found a token: the request continues without a principal (§2.7). */
		UNAUTHENTICATED,

		/**
		 * A rule verified every token it found: the request continues with that token's
		 * identity.
		 */
		AUTHENTICATED,

		/**
		 * A token was refused: the request ends with {@link JwtOutcome#httpStatus()} and
		 * {@link JwtOutcome#body()}.
		 */
		REJECTED

	}

}
