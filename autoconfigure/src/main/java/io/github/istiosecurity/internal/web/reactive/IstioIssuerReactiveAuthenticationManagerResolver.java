package io.github.istiosecurity.internal.web.reactive;

import java.util.List;

import io.github.istiosecurity.internal.jwt.IstioRuleJwtDecoder;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.web.IssuerTokenVerification;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The policies' JWT rules as Spring Security's reactive resource-server building block:
 * resolves, by the unverified {@code iss} of the exchange's bearer token, a
 * {@link ReactiveAuthenticationManager} that verifies the token with the rules of that
 * issuer (Envoy's checks and status strings, each rule's keys). Verification may fetch a
 * key set, so it runs on {@code Schedulers.boundedElastic()}, never on an event-loop
 * thread. For applications that keep their own
 * {@code oauth2ResourceServer(o -> o.authenticationManagerResolver(resolver))}; the
 * starter's own chain applies the complete RequestAuthentication algorithm in
 * {@link IstioEnforcementWebFilter} instead.
 */
public final class IstioIssuerReactiveAuthenticationManagerResolver
		implements ReactiveAuthenticationManagerResolver<ServerWebExchange> {

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
			.map((authentication) -> managerFor(
					IssuerTokenVerification.issuer(((BearerTokenAuthenticationToken) authentication).getToken())))
			.defaultIfEmpty(managerFor(null))
			.onErrorResume((ex) -> Mono.just(managerFor(null)));
	}

	private ReactiveAuthenticationManager managerFor(@Nullable String issuer) {
		List<IstioRuleJwtDecoder> decoders = IssuerTokenVerification.decodersFor(this.runtime, issuer);
		return (authentication) -> {
			if (!(authentication instanceof BearerTokenAuthenticationToken)) {
				return Mono.empty();
			}
			String token = ((BearerTokenAuthenticationToken) authentication).getToken();
			return Mono.<Authentication>fromCallable(() -> IssuerTokenVerification.verify(decoders, token))
				.subscribeOn(this.blockingScheduler);
		};
	}

}
