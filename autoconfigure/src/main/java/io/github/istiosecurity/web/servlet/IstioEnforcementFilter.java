package io.github.istiosecurity.web.servlet;

import java.io.IOException;

import io.github.istiosecurity.authz.engine.Decision;
import io.github.istiosecurity.authz.engine.PathNormalizer;
import io.github.istiosecurity.jwt.JwtOutcome;
import io.github.istiosecurity.runtime.ActivePolicies;
import io.github.istiosecurity.runtime.PolicyRuntime;
import io.github.istiosecurity.web.LocalReply;
import io.github.istiosecurity.web.RemoteAddresses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Steps 1 to 3 of Istio's inbound pipeline (§6.1) in a Spring Security filter chain: path normalization
 * (400 when Envoy would refuse the path), CUSTOM policies, then JWT authentication (RequestAuthentication)
 * with its request transformations. Steps 4 to 6 (AUDIT, DENY, ALLOW) follow in
 * {@link IstioAuthorizationManager}.
 */
public final class IstioEnforcementFilter extends OncePerRequestFilter {

	private static final Log decisions = LogFactory.getLog("io.github.istiosecurity.decision");

	private final PolicyRuntime runtime;

	private final PathNormalizer normalizer;

	private final RemoteAddresses remoteAddresses;

	private SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

	/**
	 * Creates the filter.
	 * @param runtime the policies in force
	 * @param normalizer the path normalization in force
	 * @param remoteAddresses how {@code remote.ip} is derived
	 */
	public IstioEnforcementFilter(PolicyRuntime runtime, PathNormalizer normalizer, RemoteAddresses remoteAddresses) {
		this.runtime = runtime;
		this.normalizer = normalizer;
		this.remoteAddresses = remoteAddresses;
	}

	/**
	 * Sets the strategy used to store the authenticated principal.
	 * @param strategy the strategy
	 */
	public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
		this.contextHolder = strategy;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ActivePolicies policies = this.runtime.current();
		String path = this.normalizer.normalize(PathNormalizer.pathOf(request.getRequestURI()));
		if (path == null) {
			LocalReplies.write(response, LocalReply.BAD_REQUEST);
			return;
		}
		ServletRequestView view = new ServletRequestView(request, path, policies, this.remoteAddresses);
		request.setAttribute(ServletRequestView.ATTRIBUTE, view);
		// step 2: CUSTOM runs before JWT and sees the original request
		Decision custom = policies.snapshot().checkCustom(view);
		if (!custom.allowed()) {
			logDenied(request, custom);
			LocalReplies.write(response, custom.status(), custom.body(), custom.headers());
			return;
		}
		// step 3: RequestAuthentication
		JwtOutcome outcome = policies.jwt().authenticate(view);
		if (outcome.status() == JwtOutcome.Status.REJECTED) {
			if (decisions.isInfoEnabled()) {
				decisions.info(request.getMethod() + " " + path + " rejected by JWT authentication: " + outcome.body());
			}
			String query = request.getQueryString();
			LocalReplies.write(response, LocalReply.jwtRejected(outcome.httpStatus(), outcome.body(),
					request.getScheme(), String.valueOf(view.host()),
					request.getRequestURI() + ((query != null) ? "?" + query : "")));
			return;
		}
		HttpServletRequest forwarded = request;
		if (!outcome.headersToRemove().isEmpty() || !outcome.headersToAdd().isEmpty()) {
			forwarded = new HeaderRewritingRequest(request, outcome.headersToRemove(), outcome.headersToAdd());
		}
		view.authenticated(forwarded, outcome.claims());
		if (outcome.status() == JwtOutcome.Status.AUTHENTICATED && outcome.jwt() != null) {
			// (a verified token that Spring cannot represent, e.g. an empty payload, still authorizes by claims)
			SecurityContext context = this.contextHolder.createEmptyContext();
			context.setAuthentication(outcome.authentication());
			this.contextHolder.setContext(context);
		}
		chain.doFilter(forwarded, response);
	}

	static void logDenied(HttpServletRequest request, Decision decision) {
		if (decisions.isInfoEnabled()) {
			decisions.info(request.getMethod() + " " + request.getRequestURI() + " " + decision.explain());
		}
	}

}
