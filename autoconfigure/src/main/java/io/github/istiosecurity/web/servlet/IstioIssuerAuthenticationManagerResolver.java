package io.github.istiosecurity.web.servlet;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.nimbusds.jwt.JWTParser;
import io.github.istiosecurity.jwt.IstioJwtException;
import io.github.istiosecurity.jwt.IstioRuleJwtDecoder;
import io.github.istiosecurity.runtime.PolicyRuntime;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * The policies' JWT rules as Spring Security's resource-server building block: resolves, by the unverified
 * {@code iss} of the request's bearer token, an {@link AuthenticationManager} that verifies the token with the
 * rules of that issuer (Envoy's checks and status strings, each rule's keys). For applications that keep their
 * own {@code oauth2ResourceServer(o -> o.authenticationManagerResolver(resolver))}; the starter's own chain
 * applies the complete RequestAuthentication algorithm in {@link IstioEnforcementFilter} instead.
 */
public final class IstioIssuerAuthenticationManagerResolver implements AuthenticationManagerResolver<HttpServletRequest> {

	private static final JwtGrantedAuthoritiesConverter AUTHORITIES = new JwtGrantedAuthoritiesConverter();

	private final PolicyRuntime runtime;

	private final BearerTokenResolver tokens = new DefaultBearerTokenResolver();

	/**
	 * Creates the resolver over the policies in force.
	 * @param runtime the policy runtime
	 */
	public IstioIssuerAuthenticationManagerResolver(PolicyRuntime runtime) {
		this.runtime = runtime;
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		List<IstioRuleJwtDecoder> decoders = decodersFor(issuer(this.tokens.resolve(request)));
		return (authentication) -> {
			if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
				return null;
			}
			if (decoders.isEmpty()) {
				throw new InvalidBearerTokenException("Jwt issuer is not configured");
			}
			IstioJwtException last = null;
			for (IstioRuleJwtDecoder decoder : decoders) {
				try {
					return authenticated(decoder.decode(bearer.getToken()));
				}
				catch (IstioJwtException ex) {
					last = ex;
				}
			}
			throw new InvalidBearerTokenException(last.status(), last);
		};
	}

	/** The decoders of the rules in force for this issuer (rules without issuer accept any, D21). */
	private List<IstioRuleJwtDecoder> decodersFor(@Nullable String issuer) {
		List<IstioRuleJwtDecoder> matching = new ArrayList<>();
		for (IstioRuleJwtDecoder decoder : this.runtime.current().jwt().decoders()) {
			String ruleIssuer = decoder.rule().issuer();
			if (ruleIssuer.isEmpty() || ruleIssuer.equals(issuer)) {
				matching.add(decoder);
			}
		}
		return matching;
	}

	private static @Nullable String issuer(@Nullable String token) {
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

	private static JwtAuthenticationToken authenticated(Jwt jwt) {
		Collection<GrantedAuthority> authorities = AUTHORITIES.convert(jwt);
		String issuer = jwt.getClaimAsString("iss");
		String subject = jwt.getSubject();
		return (issuer != null && subject != null) ? new JwtAuthenticationToken(jwt, authorities, issuer + "/" + subject)
				: new JwtAuthenticationToken(jwt, authorities);
	}

}
