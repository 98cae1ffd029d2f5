package io.github.istiosecurity.model;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@code JWTRule}: one accepted issuer with its keys, token locations and outputs (§2.1).
 *
 * @param issuer the required {@code iss}, {@code ""} when omitted (then any issuer is
 * accepted)
 * @param audiences accepted audiences; empty = no audience check
 * @param jwksUri the JWKS URL ({@code jwksUri} or {@code jwks_uri}), or {@code null}
 * @param jwks the inline JWKS JSON, or {@code null}
 * @param fromHeaders header locations
 * @param fromParams query parameter locations
 * @param fromCookies cookie locations
 * @param outputPayloadToHeader header that receives the payload segment, or {@code null}
 * @param forwardOriginalToken whether the token's header is kept for the application
 * @param outputClaimToHeaders claims copied to headers
 * @param timeout JWKS fetch timeout ({@link #DEFAULT_TIMEOUT} when absent)
 * @param spaceDelimitedClaims extra claims split on spaces for matching
 * @param presence {@code presence} as written ({@code OPTIONAL}/{@code REQUIRED}), or
 * {@code null}; istiod does not read it (§8 D7)
 */
public record JwtRule(String issuer, List<String> audiences, @Nullable String jwksUri, @Nullable String jwks,
		List<JwtHeader> fromHeaders, List<String> fromParams, List<String> fromCookies,
		@Nullable String outputPayloadToHeader, boolean forwardOriginalToken, List<ClaimToHeader> outputClaimToHeaders,
		Duration timeout, List<String> spaceDelimitedClaims, @Nullable String presence) {

	/** Istio's default JWKS fetch timeout. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	public JwtRule {
		audiences = List.copyOf(audiences);
		fromHeaders = List.copyOf(fromHeaders);
		fromParams = List.copyOf(fromParams);
		fromCookies = List.copyOf(fromCookies);
		outputClaimToHeaders = List.copyOf(outputClaimToHeaders);
		spaceDelimitedClaims = List.copyOf(spaceDelimitedClaims);
	}

	/**
	 * Whether the rule uses Istio's default token locations
	 * ({@code Authorization: Bearer} and {@code access_token}), which is when it lists no
	 * header, parameter or cookie (§2.5).
	 * @return whether the default locations apply
	 */
	public boolean usesDefaultLocations() {
		return this.fromHeaders.isEmpty() && this.fromParams.isEmpty() && this.fromCookies.isEmpty();
	}

}
