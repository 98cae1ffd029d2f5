package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;

import jakarta.servlet.DispatcherType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The demo policies ({@code istio/httpbin-jwt.yaml}, {@code istio/httpbin-authz.yaml})
 * written by hand with plain Spring Security, to compare the starter's cost with what a
 * team would write without it. Active under the {@code handwritten} profile, which also
 * sets {@code istio.security.enabled=false}.
 * <p>
 * The decisions match Istio's; the responses are Spring Security's: empty bodies, and 401
 * (not Istio's 403 {@code RBAC: access denied}) for a request without a token, because
 * Spring asks anonymous users to authenticate. Only the {@code Authorization: Bearer}
 * header is read (Istio also reads {@code ?access_token=}), and the header still reaches
 * the application (Istio removes it, {@code forwardOriginalToken: false}).
 */
@Configuration(proxyBeanMethods = false)
@Profile("handwritten")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class HandwrittenSecurityConfiguration {

	/** The demo issuer, as in the RequestAuthentication {@code foo/jwt-example}. */
	static final String ISSUER = "testing@secure.istio.io";

	@Bean
	SecurityFilterChain handwrittenSecurityFilterChain(HttpSecurity http) {
		// AuthorizationPolicy foo/require-jwt: ALLOW if any rule matches, so one decision
		// over both rules
		// (Spring's requestMatchers() would pick the first matching path, not "any
		// rule").
		AuthorizationManager<RequestAuthorizationContext> requireJwt = AuthorizationManagers.anyOf(
				rule(ISSUER + "/user1", PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**")),
				// Istio's "/status/*" is a prefix match on "/status/", any depth.
				rule(ISSUER + "/user2", PathPatternRequestMatcher.withDefaults().matcher("/status/**")));
		return http.authorizeHttpRequests((requests) -> requests
			// Envoy decides a request once; the error page Boot renders for a request
			// that was let in (a 404
			// for user2 on /status/a/b) is the application's answer, not a second request
			// to authorize.
			.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.anyRequest()
			.access(requireJwt))
			.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
			// A stateless API: no session, no CSRF token, no saved requests, no login
			// pages.
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.build();
	}

	/**
	 * RequestAuthentication {@code foo/jwt-example}: RS256 with the demo key, the demo
	 * issuer, and Envoy's time checks (60 s skew, a token without {@code exp} never
	 * expires, docs/semantics.md §2.6).
	 */
	@Bean
	JwtDecoder jwtDecoder(@Value("classpath:demo/jwks.json") Resource jwks)
			throws IOException, ParseException, JOSEException {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(demoKey(jwks))
			.signatureAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(validator());
		return decoder;
	}

	/** The demo issuer's public key, from the JWKS file the policies also carry. */
	static RSAPublicKey demoKey(Resource jwks) throws IOException, ParseException, JOSEException {
		return JWKSet.parse(jwks.getContentAsString(StandardCharsets.UTF_8))
			.getKeys()
			.get(0)
			.toRSAKey()
			.toRSAPublicKey();
	}

	/**
	 * The demo issuer, and Envoy's time checks: 60 s skew, a token without {@code exp}
	 * never expires.
	 */
	static OAuth2TokenValidator<Jwt> validator() {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(60));
		timestamps.setAllowEmptyExpiryClaim(true);
		return new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(ISSUER));
	}

	/**
	 * One ALLOW rule: the request principal ({@code iss/sub}, §2.9) is {@code principal}
	 * and the request matches {@code to}.
	 */
	private static AuthorizationManager<RequestAuthorizationContext> rule(String principal, RequestMatcher to) {
		return (authentication, context) -> new AuthorizationDecision(
				to.matches(context.getRequest()) && principal.equals(requestPrincipal(authentication.get())));
	}

	/**
	 * {@code iss/sub} of a verified token, or {@code null}; Istio needs both claims
	 * present (§3.11).
	 */
	static @Nullable String requestPrincipal(Authentication authentication) {
		if (!(authentication instanceof JwtAuthenticationToken token)) {
			return null;
		}
		Jwt jwt = token.getToken();
		String issuer = jwt.getClaimAsString("iss");
		String subject = jwt.getSubject();
		return (issuer != null && subject != null) ? issuer + "/" + subject : null;
	}

}
