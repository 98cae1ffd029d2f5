package io.github.istiosecurity.web.servlet;

import java.util.function.Supplier;

import io.github.istiosecurity.authz.engine.Decision;
import io.github.istiosecurity.web.IstioAuthorizationDecision;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Steps 4 to 6 of §3.4 as a Spring Security {@link AuthorizationManager}: AUDIT marks, DENY refuses, ALLOW
 * policies allow or deny by default. It reads the request as {@link IstioEnforcementFilter} left it (after JWT
 * processing); without that filter it denies (fail closed).
 */
public final class IstioAuthorizationManager implements AuthorizationManager<RequestAuthorizationContext> {

	private static final Log decisions = LogFactory.getLog("io.github.istiosecurity.decision");

	private static final AuthorizationDecision NOT_ENFORCED = new AuthorizationDecision(false);

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		ServletRequestView view = ServletRequestView.of(context.getRequest());
		if (view == null) {
			decisions.warn("Request reached the Istio authorization manager without the Istio filter; denied");
			return NOT_ENFORCED;
		}
		Decision decision = view.policies().snapshot().authorize(view);
		if (!decision.allowed()) {
			IstioEnforcementFilter.logDenied(context.getRequest(), decision);
		}
		else if (decision.audit() != null && decisions.isInfoEnabled()) {
			decisions.info("audit: " + context.getRequest().getMethod() + " " + view.path() + " " + decision.explain());
		}
		else if (decisions.isDebugEnabled()) {
			decisions.debug(context.getRequest().getMethod() + " " + view.path() + " " + decision.explain());
		}
		return new IstioAuthorizationDecision(decision);
	}

}
