package io.github.istiosecurity.web.reactive;

import io.github.istiosecurity.authz.engine.Decision;
import io.github.istiosecurity.authz.engine.PathNormalizer;
import io.github.istiosecurity.jwt.JwtAuthenticator;
import io.github.istiosecurity.jwt.JwtOutcome;
import io.github.istiosecurity.runtime.ActivePolicies;
import io.github.istiosecurity.runtime.PolicyRuntime;
import io.github.istiosecurity.web.LocalReply;
import io.github.istiosecurity.web.RemoteAddresses;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Steps 1 to 3 of Istio's inbound pipeline (§6.1) in a Spring Security {@code SecurityWebFilterChain}: path
 * normalization (400 when Envoy would refuse the path), CUSTOM policies, then JWT authentication
 * (RequestAuthentication) with its request transformations. Steps 4 to 6 (AUDIT, DENY, ALLOW) follow in
 * {@link IstioReactiveAuthorizationManager}. The twin of the servlet {@code IstioEnforcementFilter}, over the
 * same policies and engine.
 * <p>
 * Nothing here blocks an event-loop thread: JWT verification runs on the calling thread when it needs no
 * network (inline keys, a verified-token cache hit, no token) and on {@code Schedulers.boundedElastic()} when a
 * remote key set may have to be fetched ({@link JwtAuthenticator#mayFetchKeys}); {@code ExtensionAuthorizer}s
 * (CUSTOM), whose code may block, always run there.
 */
public final class IstioEnforcementWebFilter implements WebFilter {

	private static final Log decisions = LogFactory.getLog("io.github.istiosecurity.decision");

	private final PolicyRuntime runtime;

	private final PathNormalizer normalizer;

	private final RemoteAddresses remoteAddresses;

	private final Scheduler blockingScheduler;

	/**
	 * Creates the filter.
	 * @param runtime the policies in force
	 * @param normalizer the path normalization in force
	 * @param remoteAddresses how {@code remote.ip} is derived
	 */
	public IstioEnforcementWebFilter(PolicyRuntime runtime, PathNormalizer normalizer,
			RemoteAddresses remoteAddresses) {
		this(runtime, normalizer, remoteAddresses, Schedulers.boundedElastic());
	}

	/**
	 * Creates the filter with the scheduler on which work that may block runs.
	 * @param runtime the policies in force
	 * @param normalizer the path normalization in force
	 * @param remoteAddresses how {@code remote.ip} is derived
	 * @param blockingScheduler where key fetches and extension authorizers run
	 */
	public IstioEnforcementWebFilter(PolicyRuntime runtime, PathNormalizer normalizer,
			RemoteAddresses remoteAddresses, Scheduler blockingScheduler) {
		this.runtime = runtime;
		this.normalizer = normalizer;
		this.remoteAddresses = remoteAddresses;
		this.blockingScheduler = blockingScheduler;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		ActivePolicies policies = this.runtime.current();
		String rawPath = request.getURI().getRawPath();
		String path = this.normalizer.normalize(PathNormalizer.pathOf((rawPath != null) ? rawPath : "/"));
		if (path == null) {
			return ServerLocalReplies.write(exchange, LocalReply.BAD_REQUEST);
		}
		ExchangeRequestView view = new ExchangeRequestView(request, path, policies, this.remoteAddresses);
		exchange.getAttributes().put(ExchangeRequestView.ATTRIBUTE, view);
		// step 2: CUSTOM runs before JWT and sees the original request
		if (!policies.snapshot().hasCustomRules()) {
			return authenticate(exchange, chain, view, policies);
		}
		return Mono.fromCallable(() -> policies.snapshot().checkCustom(view))
			.subscribeOn(this.blockingScheduler)
			.flatMap((custom) -> {
				if (!custom.allowed()) {
					logDenied(exchange, custom);
					return ServerLocalReplies.write(exchange, custom.status(), custom.body(), custom.headers());
				}
				return authenticate(exchange, chain, view, policies);
			});
	}

	/** Step 3: RequestAuthentication, offloaded only when a remote key set may be needed. */
	private Mono<Void> authenticate(ServerWebExchange exchange, WebFilterChain chain, ExchangeRequestView view,
			ActivePolicies policies) {
		JwtAuthenticator jwt = policies.jwt();
		if (!jwt.mayFetchKeys(view)) {
			return proceed(exchange, chain, view, jwt.authenticate(view));
		}
		return Mono.fromCallable(() -> jwt.authenticate(view))
			.subscribeOn(this.blockingScheduler)
			.flatMap((outcome) -> proceed(exchange, chain, view, outcome));
	}

	private Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain, ExchangeRequestView view,
			JwtOutcome outcome) {
		ServerHttpRequest request = exchange.getRequest();
		if (outcome.status() == JwtOutcome.Status.REJECTED) {
			if (decisions.isInfoEnabled()) {
				decisions.info(request.getMethod().name() + " " + view.path() + " rejected by JWT authentication: "
						+ outcome.body());
			}
			String query = request.getURI().getRawQuery();
			String rawPath = request.getURI().getRawPath();
			return ServerLocalReplies.write(exchange,
					LocalReply.jwtRejected(outcome.httpStatus(), outcome.body(), view.scheme(),
							String.valueOf(view.host()),
							((rawPath != null) ? rawPath : "") + ((query != null) ? "?" + query : "")));
		}
		ServerWebExchange forwarded = exchange;
		if (!outcome.headersToRemove().isEmpty() || !outcome.headersToAdd().isEmpty()) {
			forwarded = exchange.mutate()
				.request(new HeaderRewritingServerRequest(request, outcome.headersToRemove(), outcome.headersToAdd()))
				.build();
		}
		view.authenticated(forwarded.getRequest(), outcome.claims());
		if (outcome.status() == JwtOutcome.Status.AUTHENTICATED && outcome.jwt() != null) {
			// (a verified token that Spring cannot represent, e.g. an empty payload, still authorizes by claims)
			return chain.filter(forwarded)
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(outcome.authentication()));
		}
		return chain.filter(forwarded);
	}

	static void logDenied(ServerWebExchange exchange, Decision decision) {
		if (decisions.isInfoEnabled()) {
			decisions.info(exchange.getRequest().getMethod().name() + " " + exchange.getRequest().getURI().getRawPath()
					+ " " + decision.explain());
		}
	}

}
