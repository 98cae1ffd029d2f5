package io.github.istiosecurity.internal.web.servlet;

import java.util.List;

import io.github.istiosecurity.internal.jwt.IstioRuleJwtDecoder;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.web.IssuerTokenVerification;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.util.Assert;

/**
 * The policies' JWT rules as Spring Security's resource-server building block: resolves,
 * by the unverified {@code iss} of the request's bearer token, an
 * {@link AuthenticationManager} that verifies the token with the rules of that issuer
 * (Envoy's checks and status strings, each rule's keys). For applications that keep their
 * own {@code oauth2ResourceServer(o -> o.authenticationManagerResolver(resolver))}; the
 * starter's own chain applies the complete RequestAuthentication algorithm in
 * {@link IstioEnforcementFilter} instead.
 */
public final class IstioIssuerAuthenticationManagerResolver
		implements AuthenticationManagerResolver<HttpServletRequest> {

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
		List<IstioRuleJwtDecoder> decoders = IssuerTokenVerification.decodersFor(this.runtime,
				IssuerTokenVerification.issuer(this.tokens.resolve(request)));
		return (authentication) -> {
			// as Spring Security's JwtIssuerAuthenticationManagerResolver: the bearer
			// token filter is the caller
			Assert.isInstanceOf(BearerTokenAuthenticationToken.class, authentication);
			return IssuerTokenVerification.verify(decoders,
					((BearerTokenAuthenticationToken) authentication).getToken());
		};
	}

}
