package io.github.istiosecurity.internal.web.reactive;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.internal.extauthz.ProviderSettings;
import io.github.istiosecurity.internal.jwt.JwtOutcome;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.LocalReply;
import io.github.istiosecurity.web.reactive.IstioReactiveAuthorizationManager;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Steps 1 to 3 of Istio's inbound pipeline (§6.1) in a Spring Security
 * {@code SecurityWebFilterChain}, through the {@link InboundPipeline} the servlet filter
 * uses too: request sanity and path normalization, CUSTOM policies, then JWT
 * authentication with its request transformations. The application receives the exchange
 * with the normalized path (the path the policies decide on) and the rewritten headers.
 * Steps 4 to 6 (AUDIT, DENY, ALLOW) follow in {@link IstioReactiveAuthorizationManager}.
 * <p>
 * Nothing here blocks an event-loop thread: JWT verification only reads keys from memory
 * (they are fetched in the background), and {@code ExtensionAuthorizer}s (CUSTOM:
 * application code or a call to an external authorizer), which may block, run on
 * {@code Schedulers.boundedElastic()}, and only for a request a CUSTOM rule matches.
 */
public final class IstioEnforcementWebFilter implements WebFilter {

	private static final String NOT_A_URI = "the normalized path is not a valid URI path";

	private final InboundPipeline pipeline;

	private final Scheduler blockingScheduler;

	private final boolean decides;

	/**
	 * Creates the filter for a chain built with {@code ServerHttpSecurity}, whose
	 * authorization filter decides (steps 4 to 6).
	 * @param pipeline the inbound pipeline
	 */
	public IstioEnforcementWebFilter(InboundPipeline pipeline) {
		this(pipeline, Schedulers.boundedElastic(), false);
	}

	/**
	 * Creates the filter with the scheduler on which extension authorizers run.
	 * @param pipeline the inbound pipeline
	 * @param blockingScheduler where extension authorizers run
	 * @param decides whether this filter also decides (steps 4 to 6) and stands in for
	 * the filters of Spring Security a chain of its own needs: the chain the starter owns
	 * ({@link #owningChain})
	 */
	public IstioEnforcementWebFilter(InboundPipeline pipeline, Scheduler blockingScheduler, boolean decides) {
		this.pipeline = pipeline;
		this.blockingScheduler = blockingScheduler;
		this.decides = decides;
	}

	/**
	 * The whole of the chain the starter owns when the application declares none, in one
	 * filter: what a sidecar does, and of Spring Security's own filters only what an
	 * application sees of them. It decides (steps 4 to 6) where a
	 * {@code ServerHttpSecurity} chain would hand over to its authorization filter; it
	 * gives the application the authentication in the Reactor context
	 * ({@code @AuthenticationPrincipal}, {@code ReactiveSecurityContextHolder}) and as
	 * the exchange's principal ({@code Principal} arguments), the exchange in the Reactor
	 * context (as Spring Security's {@code ServerWebExchangeReactorContextWebFilter}),
	 * and answers an {@code AccessDeniedException} of the application's own method
	 * security as that chain's exception translation did. What it leaves out is per
	 * request assembly: the security context repository (there is no session), the
	 * request cache, the authorization manager's matcher list, and their Reactor
	 * operators.
	 * @param pipeline the inbound pipeline
	 * @return the filter
	 */
	public static IstioEnforcementWebFilter owningChain(InboundPipeline pipeline) {
		return new IstioEnforcementWebFilter(pipeline, Schedulers.boundedElastic(), true);
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		ExchangeRequestView view = new ExchangeRequestView(request, this.pipeline.policies(),
				this.pipeline.remoteAddresses(), this.pipeline.peerIdentitySource());
		exchange.getAttributes().put(ExchangeRequestView.ATTRIBUTE, view);
		LocalReply refused = this.pipeline.admit(view);
		if (refused != null) {
			return ServerLocalReplies.write(exchange, refused);
		}
		ServerHttpRequest forwarded = withNormalizedPath(request, view);
		if (forwarded == null) {
			return ServerLocalReplies.write(exchange, this.pipeline.refuse(view, NOT_A_URI));
		}
		if (!InboundPipeline.customRuleMatches(view)) {
			// no CUSTOM rule matches: step 2 has nothing to ask, the request stays on its
			// thread
			return authenticate(exchange, forwarded, chain, view);
		}
		ProviderSettings.RequestBody wanted = InboundPipeline.customBody(view);
		if (wanted == null) {
			return checkCustom(exchange, forwarded, chain, view);
		}
		// the authorizer gets the start of the body (includeRequestBodyInCheck): read it
		// first, as Envoy buffers it
		return BodyForCheck.read(forwarded, wanted.maxRequestBytes(), (withBody, body) -> {
			if (body.partial() && !wanted.allowPartialMessage()) {
				return ServerLocalReplies.write(exchange, this.pipeline.bodyTooLarge(view));
			}
			if (body.bytes().length > 0) {
				view.checkBody(body);
			}
			view.forwarded(withBody);
			return checkCustom(new ReplayedBodyExchange(exchange, withBody), withBody, chain, view);
		});
	}

	/**
	 * Step 2 asks an authorizer, which may block (application code, a call to a remote
	 * one): off the event loop.
	 */
	private Mono<Void> checkCustom(ServerWebExchange exchange, ServerHttpRequest forwarded, WebFilterChain chain,
			ExchangeRequestView view) {
		return Mono.fromCallable(() -> Optional.ofNullable(this.pipeline.checkCustom(view)))
			.subscribeOn(this.blockingScheduler)
			.flatMap((custom) -> custom.isPresent() ? ServerLocalReplies.write(exchange, custom.get())
					: authenticate(exchange, withExtensionAllowance(exchange, forwarded, view), chain, view));
	}

	/**
	 * The request as Envoy forwards it: the normalized path, and the authority decided on
	 * as {@code Host} (an absolute-form target's authority wins over {@code Host}, which
	 * Reactor Netty alone lets through); or {@code null} if that is no URI.
	 */
	private static @Nullable ServerHttpRequest withNormalizedPath(ServerHttpRequest request, ExchangeRequestView view) {
		String path = view.path();
		boolean pathChanged = !path.equals(view.rawPath());
		String host = view.host();
		String authority = (host != null && !host.equals(request.getHeaders().getFirst("host"))) ? host : null;
		if (!pathChanged && authority == null) {
			return request;
		}
		try {
			ServerHttpRequest.Builder forwarded = request.mutate();
			if (authority != null) {
				URI uri = request.getURI();
				String query = uri.getRawQuery();
				forwarded.header("Host", authority)
					.uri(new URI(view.scheme() + "://" + authority + uri.getRawPath()
							+ ((query != null) ? "?" + query : "")));
			}
			if (pathChanged) {
				forwarded.path(path);
			}
			return forwarded.build();
		}
		catch (URISyntaxException | IllegalArgumentException | IllegalStateException ex) {
			return null;
		}
	}

	/**
	 * The request as an extension authorizer that allowed it left it (§3.18): its headers
	 * set and removed, seen by JWT authentication, DENY/ALLOW and the application; its
	 * response headers added to the response.
	 */
	private static ServerHttpRequest withExtensionAllowance(ServerWebExchange exchange, ServerHttpRequest request,
			ExchangeRequestView view) {
		ExtensionDecision allowance = view.extensionAllowance();
		if (allowance == null) {
			return request;
		}
		allowance.responseHeaders().forEach(exchange.getResponse().getHeaders()::add);
		if (allowance.upstreamHeaders().isEmpty() && allowance.removedUpstreamHeaders().isEmpty()) {
			return request;
		}
		ServerHttpRequest changed = new HeaderRewritingServerRequest(request,
				HeaderRewritingServerRequest.lowerCase(allowance.removedUpstreamHeaders()),
				allowance.upstreamHeaders());
		view.forwarded(changed);
		return changed;
	}

	/**
	 * Step 3: RequestAuthentication, on the calling thread (it never waits for the
	 * network).
	 */
	private Mono<Void> authenticate(ServerWebExchange exchange, ServerHttpRequest request, WebFilterChain chain,
			ExchangeRequestView view) {
		LocalReply rejected = this.pipeline.authenticate(view);
		if (rejected != null) {
			return ServerLocalReplies.write(exchange, rejected);
		}
		JwtOutcome outcome = view.jwt();
		ServerHttpRequest forwarded = request;
		if (!outcome.headersToRemove().isEmpty() || !outcome.headersToAdd().isEmpty()) {
			forwarded = new HeaderRewritingServerRequest(request, outcome.headersToRemove(), outcome.headersToAdd());
		}
		view.forwarded(forwarded);
		// (a verified token that Spring cannot represent, e.g. an empty payload, still
		// authorizes by claims)
		Authentication authentication = (outcome.status() == JwtOutcome.Status.AUTHENTICATED && outcome.jwt() != null)
				? outcome.authentication() : null;
		if (this.decides) {
			return decideAndForward(exchange, forwarded, chain, view, authentication);
		}
		ServerWebExchange forwardedExchange = (forwarded == exchange.getRequest()) ? exchange
				: exchange.mutate().request(forwarded).build();
		if (authentication != null) {
			return chain.filter(forwardedExchange)
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication));
		}
		return chain.filter(forwardedExchange);
	}

	/**
	 * Steps 4 to 6 in the chain the starter owns, then the application with what Spring
	 * Security's filters would have given it ({@link #owningChain}).
	 */
	private Mono<Void> decideAndForward(ServerWebExchange exchange, ServerHttpRequest forwarded, WebFilterChain chain,
			ExchangeRequestView view, @Nullable Authentication authentication) {
		Decision decision = this.pipeline.decide(view);
		if (!decision.allowed()) {
			return ServerLocalReplies.write(exchange, LocalReply.of(decision));
		}
		ServerWebExchange forwardedExchange = exchange;
		if (forwarded != exchange.getRequest() || authentication != null) {
			ServerWebExchange.Builder builder = exchange.mutate().request(forwarded);
			if (authentication != null) {
				builder.principal(Mono.just(authentication));
			}
			forwardedExchange = builder.build();
		}
		Context context = (authentication != null)
				? ReactiveSecurityContextHolder.withAuthentication(authentication)
					.put(ServerWebExchange.class, forwardedExchange)
				: Context.of(ServerWebExchange.class, forwardedExchange);
		return chain.filter(forwardedExchange)
			.onErrorResume(AccessDeniedException.class,
					(denied) -> ServerLocalReplies.write(exchange, LocalReply.RBAC_DENIED))
			.contextWrite(context);
	}

}
