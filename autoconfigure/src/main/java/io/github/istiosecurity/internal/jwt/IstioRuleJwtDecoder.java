package io.github.istiosecurity.internal.jwt;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A Spring Security {@link JwtDecoder} for one Istio JWT rule: the checks of §2.6 in
 * Envoy's order (format, issuer, {@code nbf}/{@code exp} with skew, audience, key
 * selection, signature), over the keys the rule's key source holds at that moment: it
 * never waits for the network. A refused token raises an {@link IstioJwtException} with
 * Istio's status string. {@link JwtAuthenticator} combines the decoders of all rules as
 * Envoy does (§2.7).
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
	 * @throws BadJwtException if the token passes but has an empty payload, which
	 * Spring's {@link Jwt} cannot hold
	 */
	@Override
	public Jwt decode(String token) throws JwtException {
		RequestTokens tokens = new RequestTokens();
		JwtFailure failure = verify(token, tokens);
		tokens.cacheVerified();
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
	 * Checks a token, parsing it at most once per request; a newly verified signature is
	 * noted in {@code tokens}, for {@link RequestTokens#cacheVerified()} to cache.
	 * @param token the token
	 * @param tokens the request's parsed tokens
	 * @return the failure, or {@code null} when the rule accepts the token
	 */
	@Nullable JwtFailure verify(String token, RequestTokens tokens) {
		ParsedToken cached = this.cache.get(this.keys, token);
		if (cached != null) {
			tokens.remember(cached);
			return check(cached, null);
		}
		return check(tokens.parse(token), tokens);
	}

	/**
	 * Steps 1 to 5 of §2.6; {@code tokens} is {@code null} for a token from the cache,
	 * whose signature was verified before.
	 */
	private @Nullable JwtFailure check(ParsedToken token, @Nullable RequestTokens tokens) {
		// §2.6 step 1: format.
		if (token.failure != null) {
			return token.failure;
		}
		// Step 2: issuer; an empty rule issuer accepts any (D21), a token without iss
		// fails any other.
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
		// Step 4: audience, before the signature (Ex 48); empty audiences = no check
		// (D1).
		if (!this.audiences.isEmpty() && !audienceAllowed(token.audiences)) {
			return JwtFailure.AUDIENCE_NOT_ALLOWED;
		}
		return (tokens != null) ? verifySignature(token, tokens) : null;
	}

	private boolean audienceAllowed(List<String> tokenAudiences) {
		for (String audience : tokenAudiences) {
			if (this.audiences.contains(sanitizeAudience(audience))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Step 5: key selection, then the signature with any selected key, against the keys
	 * held now: never waits for a fetch. When the keys the token needs are not there, the
	 * token is refused at once, as the proxy refuses it until istiod's next refresh
	 * (§2.10), and a rate-limited background refetch is asked for, so that a later
	 * request signed with a newly published key passes.
	 */
	private @Nullable JwtFailure verifySignature(ParsedToken token, RequestTokens tokens) {
		RuleKeySource.KnownKeys known = this.keys.lookUp();
		if (known == null) {
			// Never fetched (or the last good set is too old): istiod's fail-closed key
			// set (D16).
			this.keys.refetchSoon();
			return JwtFailure.VERIFICATION_FAILS;
		}
		List<JWK> candidates = new JWKSelector(new IstioKeyMatcher(token.keyId, token.algorithm)).select(known.set());
		if (candidates.isEmpty()) {
			this.keys.refetchSoon();
			return known.set().isEmpty() ? JwtFailure.NO_VALID_KEYS : JwtFailure.KID_ALG_MISMATCH;
		}
		for (JWK key : candidates) {
			if (TokenSignature.verifies(token, key, known.verifierOf(key))) {
				if (this.cache.isEnabled()) {
					tokens.verified(this.cache, this.keys, token, known.thumbprintOf(key));
				}
				return null;
			}
		}
		return JwtFailure.VERIFICATION_FAILS;
	}

	/**
	 * jwt_verify_lib {@code sanitizeAudience}: drop a leading http:// or https:// and one
	 * trailing /.
	 */
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
