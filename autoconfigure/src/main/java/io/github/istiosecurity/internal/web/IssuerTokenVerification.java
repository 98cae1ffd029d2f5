package io.github.istiosecurity.internal.web;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.nimbusds.jwt.JWTParser;
import io.github.istiosecurity.internal.jwt.IstioJwtException;
import io.github.istiosecurity.internal.jwt.IstioRuleJwtDecoder;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * What both issuer-keyed authentication manager resolvers (servlet and reactive) do with
 * a bearer token: read its unverified {@code iss}, pick the rules in force for that
 * issuer, and verify the token with them.
 */
public final class IssuerTokenVerification {

	private static final JwtGrantedAuthoritiesConverter AUTHORITIES = new JwtGrantedAuthoritiesConverter();

	private IssuerTokenVerification() {
	}

	/**
	 * Reads the {@code iss} claim of a token without verifying it, for routing only.
	 * @param token the token, or {@code null}
	 * @return the issuer, or {@code null} when there is none or the token does not parse
	 */
	public static @Nullable String issuer(@Nullable String token) {
		if (token == null) {
			return null;
		}
		try {
			return JWTParser.parse(token).getJWTClaimsSet().getIssuer();
		}
		catch (ParseException ex) {
			return null;
		}
	}

	/**
	 * Returns the decoders of the rules in force for an issuer (rules without issuer
	 * accept any, §8 D21).
	 * @param runtime the policies in force
	 * @param issuer the token's issuer
	 * @return the decoders, in rule order
	 */
	public static List<IstioRuleJwtDecoder> decodersFor(PolicyRuntime runtime, @Nullable String issuer) {
		List<IstioRuleJwtDecoder> matching = new ArrayList<>();
		for (IstioRuleJwtDecoder decoder : runtime.current().jwt().decoders()) {
			String ruleIssuer = decoder.rule().issuer();
			if (ruleIssuer.isEmpty() || ruleIssuer.equals(issuer)) {
				matching.add(decoder);
			}
		}
		return matching;
	}

	/**
	 * Verifies a token with the first rule that accepts it. May fetch a key set: call it
	 * off event loops.
	 * @param decoders the issuer's decoders
	 * @param token the token
	 * @return the authentication, named {@code <iss>/<sub>}
	 * @throws InvalidBearerTokenException with Envoy's status string when no rule accepts
	 * the token
	 */
	public static JwtAuthenticationToken verify(List<IstioRuleJwtDecoder> decoders, String token) {
		if (decoders.isEmpty()) {
			throw new InvalidBearerTokenException("Jwt issuer is not configured");
		}
		int lastIndex = decoders.size() - 1;
		for (int i = 0;; i++) {
			try {
				return authenticated(decoders.get(i).decode(token));
			}
			catch (IstioJwtException ex) {
				// the last rule's refusal is the answer, as in Envoy
				if (i == lastIndex) {
					throw new InvalidBearerTokenException(ex.status(), ex);
				}
			}
		}
	}

	private static JwtAuthenticationToken authenticated(Jwt jwt) {
		Collection<GrantedAuthority> authorities = AUTHORITIES.convert(jwt);
		String issuer = jwt.getClaimAsString("iss");
		String subject = jwt.getSubject();
		return (issuer != null && subject != null)
				? new JwtAuthenticationToken(jwt, authorities, issuer + "/" + subject)
				: new JwtAuthenticationToken(jwt, authorities);
	}

}
