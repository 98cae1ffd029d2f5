package io.github.istiosecurity.jwt;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A Spring Security {@link JwtDecoder} for one Istio JWT rule: the checks of §2.6 in Envoy's order (format,
 * issuer, {@code nbf}/{@code exp} with skew, audience, key selection, signature), over the rule's Nimbus key
 * source. A refused token raises an {@link IstioJwtException} with Istio's status string.
 * {@link JwtAuthenticator} combines the decoders of all rules as Envoy does (§2.7).
 */
public final class IstioRuleJwtDecoder implements JwtDecoder {

	private final JwtRule rule;

	private final RuleKeySource keys;

	private final VerifiedTokenCache cache;

	private final Clock clock;

	private final long skewSeconds;

	private final Set<String> audiences;

	IstioRuleJwtDecoder(JwtRule rule, RuleKeySource keys, VerifiedTokenCache cache, JwtSettings settings) {
		this.rule = rule;
		this.keys = keys;
		this.cache = cache;
		this.clock = settings.clock();
		this.skewSeconds = settings.clockSkew().toSeconds();
		Set<String> audiences = new HashSet<>();
		for (String audience : rule.audiences()) {
			audiences.add(sanitizeAudience(audience));
		}
		this.audiences = Set.copyOf(audiences);
	}

	/**
	 * Returns the rule this decoder checks tokens against.
	 * @return the rule
	 */
	public JwtRule rule() {
		return this.rule;
	}

	/**
	 * Checks a token against this rule alone.
	 * @param token the token
	 * @return the verified token
	 * @throws IstioJwtException if the rule refuses the token
	 * @throws BadJwtException if the token passes but has an empty payload, which Spring's {@link Jwt} cannot
	 * hold
	 */
	@Override
	public Jwt decode(String token) throws JwtException {
		RequestTokens tokens = new RequestTokens();
		JwtFailure failure = verify(token, tokens);
		if (failure != null) {
			throw new IstioJwtException(failure);
		}
		Jwt jwt = tokens.parse(token).springJwt();
		if (jwt == null) {
			throw new BadJwtException("The token has no claims Spring Security can represent");
		}
		return jwt;
	}

	/**
	 * Checks a token, parsing it at most once per request; a verified signature is cached.
	 * @param token the token
	 * @param tokens the request's parsed tokens
	 * @return the failure, or {@code null} when the rule accepts the token
	 */
	@Nullable JwtFailure verify(String token, RequestTokens tokens) {
		ParsedToken cached = this.cache.get(this.keys, token);
		if (cached != null) {
			tokens.remember(cached);
			return check(cached, true);
		}
		return check(tokens.parse(token), false);
	}

	/** Whether this rule's keys come over the network. */
	boolean remoteKeys() {
		return this.keys.remote();
	}

	/**
	 * Returns whether checking this token may wait for a remote key set: the keys are remote and the token
	 * is not a verified-token cache hit. Does no I/O.
	 * @param token the token
	 * @return whether {@link #verify} may block
	 */
	boolean mayFetchKeys(String token) {
		return this.keys.remote() && this.cache.get(this.keys, token) == null;
	}

	private @Nullable JwtFailure check(ParsedToken token, boolean signatureVerified) {
		// §2.6 step 1: format.
		if (token.failure != null) {
			return token.failure;
		}
		// Step 2: issuer; an empty rule issuer accepts any (D21), a token without iss fails any other.
		if (!this.rule.issuer().isEmpty() && !this.rule.issuer().equals(token.issuer)) {
			return JwtFailure.UNKNOWN_ISSUER;
		}
		// Step 3: nbf/exp with skew; no exp = never expires; iat is not checked.
		long now = Math.floorDiv(this.clock.millis(), 1000);
		if (token.notBefore != 0 && now + this.skewSeconds < token.notBefore) {
			return JwtFailure.NOT_YET_VALID;
		}
		if (token.expiresAt != 0 && now - this.skewSeconds > token.expiresAt) {
			return JwtFailure.EXPIRED;
		}
		// Step 4: audience, before the signature (Ex 48); empty audiences = no check (D1).
		if (!this.audiences.isEmpty() && !audienceAllowed(token.audiences)) {
			return JwtFailure.AUDIENCE_NOT_ALLOWED;
		}
		return signatureVerified ? null : verifySignature(token);
	}

	private boolean audienceAllowed(List<String> tokenAudiences) {
		for (String audience : tokenAudiences) {
			if (this.audiences.contains(sanitizeAudience(audience))) {
				return true;
			}
		}
		return false;
	}

	/** Step 5: key selection, then the signature with any selected key. */
	private @Nullable JwtFailure verifySignature(ParsedToken token) {
		JWKSelector selector = new JWKSelector(new IstioKeyMatcher(token.keyId, token.algorithm));
		List<JWK> candidates;
		try {
			// Nimbus refetches a remote set once (rate-limited) when nothing matches: key rotation.
			candidates = this.keys.get(selector);
		}
		catch (KeySourceException | RuntimeException ex) {
			return whenUnavailable(selector);
		}
		if (candidates.isEmpty()) {
			RuleKeySource.KnownKeys known = this.keys.known();
			return (known == null || known.set().isEmpty()) ? JwtFailure.NO_VALID_KEYS : JwtFailure.KID_ALG_MISMATCH;
		}
		for (JWK key : candidates) {
			if (TokenSignature.verifies(token, key)) {
				this.cache.put(this.keys, token, RuleKeySource.thumbprint(key));
				return null;
			}
		}
		return JwtFailure.VERIFICATION_FAILS;
	}

	/**
	 * No key set could be obtained now. Never verify with a set Nimbus no longer serves; only name the
	 * status: istiod fails closed with "Jwt verification fails" (§2.10, D16), except that a refetch refused by
	 * the rate limit for an unknown {@code kid} is what Envoy calls a kid mismatch.
	 */
	private JwtFailure whenUnavailable(JWKSelector selector) {
		RuleKeySource.KnownKeys known = this.keys.known();
		if (known != null && !known.set().isEmpty() && selector.select(known.set()).isEmpty()) {
			return JwtFailure.KID_ALG_MISMATCH;
		}
		return JwtFailure.VERIFICATION_FAILS;
	}

	/** jwt_verify_lib {@code sanitizeAudience}: drop a leading http:// or https:// and one trailing /. */
	static String sanitizeAudience(String audience) {
		if (audience.isEmpty()) {
			return audience;
		}
		int begin = 0;
		if (audience.startsWith("https://")) {
			begin = 8;
		}
		else if (audience.startsWith("http://")) {
			begin = 7;
		}
		int end = audience.endsWith("/") ? audience.length() - 1 : audience.length();
		return (begin == 0 && end == audience.length()) ? audience : audience.substring(begin, Math.max(begin, end));
	}

}
