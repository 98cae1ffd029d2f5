package io.github.istiosecurity.web.servlet;

import java.util.function.Supplier;

import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.IstioAuthorizationDecision;
import io.github.istiosecurity.internal.web.servlet.IstioEnforcementFilter;
import io.github.istiosecurity.internal.web.servlet.ServletRequestView;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Steps 4 to 6 of §3.4 as a Spring Security {@link AuthorizationManager}: AUDIT marks,
 * DENY refuses, ALLOW policies allow or deny by default ({@link InboundPipeline#decide}).
 * It reads the request as {@link IstioEnforcementFilter} left it (after JWT processing);
 * a request that did not pass that filter is denied (fail closed).
 * <p>
 * Only requests are decided. An error, forward or include dispatch is the container or
 * the application working on a request that was already decided, or refused before any
 * decision (a request the container or the firewall answered with 400): it is not a
 * request of the client's, and Istio never sees it. Such a dispatch of a decided request
 * is decided again on the same request (same answer); one of a refused request is let
 * through, so that the refusal's error page is not turned into a policy denial.
 */
public final class IstioAuthorizationManager implements AuthorizationManager<RequestAuthorizationContext> {

	private static final Log decisions = LogFactory.getLog("io.github.istiosecurity.decision");

	private static final AuthorizationDecision NOT_ENFORCED = new AuthorizationDecision(false);

	private static final AuthorizationDecision NOT_A_REQUEST = new AuthorizationDecision(true);

	private final InboundPipeline pipeline;

	/**
	 * Creates the manager.
	 * @param pipeline the pipeline that decides
	 */
	public IstioAuthorizationManager(InboundPipeline pipeline) {
		this.pipeline = pipeline;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		HttpServletRequest request = context.getRequest();
		ServletRequestView view = ServletRequestView.of(request);
		if (view == null) {
			DispatcherType dispatch = request.getDispatcherType();
			if (dispatch == DispatcherType.ERROR || dispatch == DispatcherType.FORWARD
					|| dispatch == DispatcherType.INCLUDE) {
				return NOT_A_REQUEST;
			}
			decisions.warn("Request reached the Istio authorization manager without the Istio filter; denied");
			return NOT_ENFORCED;
		}
		return new IstioAuthorizationDecision(this.pipeline.decide(view));
	}

}
