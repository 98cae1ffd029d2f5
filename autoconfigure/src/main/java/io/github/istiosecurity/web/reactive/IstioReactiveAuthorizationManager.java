package io.github.istiosecurity.web.reactive;

import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.IstioAuthorizationDecision;
import io.github.istiosecurity.internal.web.reactive.ExchangeRequestView;
import io.github.istiosecurity.internal.web.reactive.IstioEnforcementWebFilter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;

/**
 * Steps 4 to 6 of §3.4 as a Spring Security {@link ReactiveAuthorizationManager}: AUDIT
 * marks, DENY refuses, ALLOW policies allow or deny by default
 * ({@link InboundPipeline#decide}). It reads the exchange as
 * {@link IstioEnforcementWebFilter} left it (after JWT processing); without that filter
 * it denies (fail closed). The engine is pure computation, so it runs on the calling
 * thread.
 */
public final class IstioReactiveAuthorizationManager implements ReactiveAuthorizationManager<AuthorizationContext> {

	private static final Log decisions = LogFactory.getLog("io.github.istiosecurity.decision");

	private static final Mono<AuthorizationResult> NOT_ENFORCED = Mono.just(new AuthorizationDecision(false));

	private final InboundPipeline pipeline;

	/**
	 * Creates the manager.
	 * @param pipeline the pipeline that decides
	 */
	public IstioReactiveAuthorizationManager(InboundPipeline pipeline) {
		this.pipeline = pipeline;
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		ExchangeRequestView view = ExchangeRequestView.of(context.getExchange());
		if (view == null) {
			decisions.warn("Exchange reached the Istio authorization manager without the Istio filter; denied");
			return NOT_ENFORCED;
		}
		return Mono.just(new IstioAuthorizationDecision(this.pipeline.decide(view)));
	}

}
