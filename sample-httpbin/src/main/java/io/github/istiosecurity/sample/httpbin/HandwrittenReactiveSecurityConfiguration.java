package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.text.ParseException;

import com.nimbusds.jose.JOSEException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The WebFlux twin of {@link HandwrittenSecurityConfiguration}: the demo policies written
 * by hand with plain Spring Security's reactive resource server, to compare the starter's
 * cost on WebFlux with what a team would write without it. Active under the
 * {@code handwritten} profile on the reactive stack; same decisions and same differences
 * from Istio's responses as the servlet variant.
 */
@Configuration(proxyBeanMethods = false)
@Profile("handwritten")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class HandwrittenReactiveSecurityConfiguration {

	private static final String ISSUER = HandwrittenSecurityConfiguration.ISSUER;

	@Bean
	SecurityWebFilterChain handwrittenSecurityWebFilterChain(ServerHttpSecurity http) {
		// AuthorizationPolicy foo/require-jwt: ALLOW if any rule matches
		ReactiveAuthorizationManager<AuthorizationContext> requireJwt = anyOf(
				rule(ISSUER + "/user1", ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/**")),
				// Istio's "/status/*" is a prefix match on "/status/", any depth.
				rule(ISSUER + "/user2", ServerWebExchangeMatchers.pathMatchers("/status/**")));
		return http.authorizeExchange((exchanges) -> exchanges.anyExchange().access(requireJwt))
			.oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()))
			// A stateless API: no session, no CSRF token, no saved requests, no login
			// pages.
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.build();
	}

	/** RequestAuthentication {@code foo/jwt-example}, as in the servlet variant. */
	@Bean
	ReactiveJwtDecoder reactiveJwtDecoder(@Value("classpath:demo/jwks.json") Resource jwks)
			throws IOException, ParseException, JOSEException {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			.withPublicKey(HandwrittenSecurityConfiguration.demoKey(jwks))
			.signatureAlgorithm(SignatureAlgorithm.RS256)
			.build();
		decoder.setJwtValidator(HandwrittenSecurityConfiguration.validator());
		return decoder;
	}

	@SafeVarargs
	private static ReactiveAuthorizationManager<AuthorizationContext> anyOf(
			ReactiveAuthorizationManager<AuthorizationContext>... rules) {
		return (authentication, context) -> {
			Mono<Authentication> once = authentication.cache();
			return Flux.fromArray(rules)
				.concatMap((rule) -> rule.authorize(once, context))
				.any(AuthorizationResult::isGranted)
				.map((granted) -> (AuthorizationResult) new AuthorizationDecision(granted));
		};
	}

	/**
	 * One ALLOW rule: the request principal is {@code principal} and the exchange matches
	 * {@code to}.
	 */
	private static ReactiveAuthorizationManager<AuthorizationContext> rule(String principal,
			ServerWebExchangeMatcher to) {
		return (authentication, context) -> to.matches(context.getExchange())
			.flatMap((match) -> match.isMatch() ? authentication
				.map((user) -> principal.equals(HandwrittenSecurityConfiguration.requestPrincipal(user)))
				.defaultIfEmpty(false) : Mono.just(false))
			.map(AuthorizationDecision::new);
	}

}
