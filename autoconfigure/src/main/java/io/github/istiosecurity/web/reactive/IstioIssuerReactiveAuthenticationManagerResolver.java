package io.github.istiosecurity.web.reactive;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.nimbusds.jwt.JWTParser;
import io.github.istiosecurity.jwt.IstioJwtException;
import io.github.istiosecurity.jwt.IstioRuleJwtDecoder;
import io.github.istiosecurity.runtime.PolicyRuntime;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The policies' JWT rules as Spring Security's reactive resource-server building block: resolves, by the
 * unverified {@code iss} of the exchange's bearer token, a {@link ReactiveAuthenticationManager} that verifies
 * the token with the rules of that issuer (Envoy's checks and status strings, each rule's keys). Verification
 * may fetch a key set, so it runs on {@code Schedulers.boundedElastic()}, never on an event-loop thread. For
 * applications that keep their own {@code oauth2ResourceServer(o -> o.authenticationManagerResolver(resolver))};
 * the starter's own chain applies the complete RequestAuthentication algorithm in
 * {@link IstioEnforcementWebFilter} instead.
 */
public final class IstioIssuerReactiveAuthenticationManagerResolver
		implements ReactiveAuthenticationManagerResolver<ServerWebExchange> {

	private static final JwtGrantedAuthoritiesConverter AUTHORITIES = new JwtGrantedAuthoritiesConverter();

	private final PolicyRuntime runtime;

	private final Scheduler blockingScheduler;

	private final ServerBearerTokenAuthenticationConverter tokens = new ServerBearerTokenAuthenticationConverter();

	/**
	 * Creates the resolver over the policies in force.
	 * @param runtime the policy runtime
	 */
	public IstioIssuerReactiveAuthenticationManagerResolver(PolicyRuntime runtime) {
		this(runtime, Schedulers.boundedElastic());
	}

	/**
	 * Creates the resolver over the policies in force, verifying on the given scheduler.
	 * @param runtime the policy runtime
	 * @param blockingScheduler where tokens are verified (key sets may be fetched)
	 */
	public IstioIssuerReactiveAuthenticationManagerResolver(PolicyRuntime runtime, Scheduler blockingScheduler) {
		this.runtime = runtime;
		this.blockingScheduler = blockingScheduler;
	}

	@Override
	public Mono<ReactiveAuthenticationManager> resolve(ServerWebExchange exchange) {
		return this.tokens.convert(exchange)
			.map((authentication) -> issuer(((BearerTokenAuthenticationToken) authentication).getToken()))
			.map(this::managerFor)
			.defaultIfEmpty(managerFor(null))
			.onErrorResume((ex) -> Mono.just(managerFor(null)));
	}

	private ReactiveAuthenticationManager managerFor(@Nullable String issuer) {
		List<IstioRuleJwtDecoder> decoders = decodersFor(issuer);
		return (authentication) -> {
			if (!(authentication instanceof BearerTokenAuthenticationToken)) {
				return Mono.empty();
			}
			String token = ((BearerTokenAuthenticationToken) authentication).getToken();
			return Mono.fromCallable(() -> verify(decoders, token)).subscribeOn(this.blockingScheduler);
		};
	}

	private static Authentication verify(List<IstioRuleJwtDecoder> decoders, String token) {
		if (decoders.isEmpty()) {
			throw new InvalidBearerTokenException("Jwt issuer is not configured");
		}
		IstioJwtException last = null;
		for (IstioRuleJwtDecoder decoder : decoders) {
			try {
				return authenticated(decoder.decode(token));
			}
			catch (IstioJwtException ex) {
				last = ex;
			}
		}
		throw new InvalidBearerTokenException(last.status(), last);
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

	private static @Nullable String issuer(String token) {
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
