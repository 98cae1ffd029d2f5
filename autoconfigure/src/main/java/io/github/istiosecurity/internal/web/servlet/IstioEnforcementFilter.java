package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;

import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.internal.extauthz.CheckBody;
import io.github.istiosecurity.internal.extauthz.ProviderSettings;
import io.github.istiosecurity.internal.jwt.JwtOutcome;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.LocalReply;
import io.github.istiosecurity.web.servlet.IstioAuthorizationManager;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Steps 1 to 3 of Istio's inbound pipeline (§6.1) in a Spring Security filter chain,
 * through the {@link InboundPipeline}: request sanity and path normalization, CUSTOM
 * policies, then JWT authentication with its request transformations. The application
 * receives the request with the normalized path (the path the policies decide on) and the
 * rewritten headers. Steps 4 to 6 (AUDIT, DENY, ALLOW) follow in
 * {@link IstioAuthorizationManager}.
 */
public final class IstioEnforcementFilter extends OncePerRequestFilter {

	private final InboundPipeline pipeline;

	private final ServletPathRouting routing = new ServletPathRouting();

	private SecurityContextHolderStrategy contextHolder = SecurityContextHolder.getContextHolderStrategy();

	/**
	 * Creates the filter.
	 * @param pipeline the inbound pipeline
	 */
	public IstioEnforcementFilter(InboundPipeline pipeline) {
		this.pipeline = pipeline;
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
		HttpServletRequest forwarded = enforce(request, response);
		if (forwarded != null) {
			chain.doFilter(forwarded, response);
		}
	}

	/**
	 * Runs steps 1 to 3 on a request and, when the request goes on, sets its
	 * authentication as the security context.
	 * @param request the request as received
	 * @param response the response
	 * @return the request to forward, or {@code null} when a local reply was written
	 */
	@Nullable HttpServletRequest enforce(HttpServletRequest request, HttpServletResponse response) throws IOException {
		ServletRequestView view = new ServletRequestView(request, this.pipeline.policies(),
				this.pipeline.remoteAddresses(), this.pipeline.peerIdentitySource());
		request.setAttribute(ServletRequestView.ATTRIBUTE, view);
		LocalReply reply = this.pipeline.admit(view);
		HttpServletRequest forwarded = request;
		if (reply == null) {
			HttpServletRequest normalized = withNormalizedPath(request, response, view);
			if (normalized == null) {
				return null;
			}
			HttpServletRequest withBody = withBodyForCheck(normalized, view);
			if (withBody != null) {
				forwarded = withBody;
				reply = this.pipeline.checkCustom(view);
			}
			else {
				reply = this.pipeline.bodyTooLarge(view);
			}
		}
		if (reply == null) {
			forwarded = withExtensionAllowance(forwarded, response, view);
			reply = this.pipeline.authenticate(view);
		}
		if (reply != null) {
			LocalReplies.write(response, reply);
			return null;
		}
		JwtOutcome outcome = view.jwt();
		if (!outcome.headersToRemove().isEmpty() || !outcome.headersToAdd().isEmpty()) {
			forwarded = new HeaderRewritingRequest(forwarded, outcome.headersToRemove(), outcome.headersToAdd());
		}
		view.forwarded(forwarded);
		if (outcome.status() == JwtOutcome.Status.AUTHENTICATED && outcome.jwt() != null) {
			// (a verified token that Spring cannot represent, e.g. an empty payload,
			// still authorizes by claims)
			SecurityContext context = this.contextHolder.createEmptyContext();
			context.setAuthentication(outcome.authentication());
			this.contextHolder.setContext(context);
		}
		return forwarded;
	}

	/**
	 * Reads the first bytes of the body when the authorizer of the CUSTOM rule matching
	 * the request asks for it ({@code includeRequestBodyInCheck}), as Envoy buffers it
	 * before the check: the application still reads the whole body.
	 * @return the request to go on with, or {@code null} when the body is longer than the
	 * provider holds and may not be cut (413)
	 */
	private static @Nullable HttpServletRequest withBodyForCheck(HttpServletRequest request, ServletRequestView view)
			throws IOException {
		ProviderSettings.RequestBody wanted = InboundPipeline.customBody(view);
		if (wanted == null) {
			return request;
		}
		byte[] read = CheckBody.readPrefix(request.getInputStream(), wanted.maxRequestBytes());
		CheckBody body = CheckBody.of(read, wanted.maxRequestBytes());
		if (body.partial() && !wanted.allowPartialMessage()) {
			return null;
		}
		if (read.length == 0) {
			// no body: Envoy sends the check without one
			return request;
		}
		view.checkBody(body);
		HttpServletRequest replaying = new BodyReplayingRequest(request, read);
		view.forwarded(replaying);
		return replaying;
	}

	/**
	 * The request as an extension authorizer that allowed it left it (§3.18): its headers
	 * set and removed, seen by JWT authentication, DENY/ALLOW and the application; its
	 * response headers added to the response.
	 */
	private static HttpServletRequest withExtensionAllowance(HttpServletRequest request, HttpServletResponse response,
			ServletRequestView view) {
		ExtensionDecision allowance = view.extensionAllowance();
		if (allowance == null) {
			return request;
		}
		allowance.responseHeaders().forEach(response::addHeader);
		if (allowance.upstreamHeaders().isEmpty() && allowance.removedUpstreamHeaders().isEmpty()) {
			return request;
		}
		HttpServletRequest changed = new HeaderRewritingRequest(request,
				HeaderRewritingRequest.lowerCase(allowance.removedUpstreamHeaders()), allowance.upstreamHeaders());
		view.forwarded(changed);
		return changed;
	}

	/**
	 * The request as the application must see it: with the normalized path, routed by the
	 * container to the servlet that the normalized path maps to. A path the container
	 * routed on its own reading to another servlet (or context) is refused rather than
	 * decided on one path and served on another.
	 * @return the request to forward, or {@code null} when the refusal was written
	 */
	private @Nullable HttpServletRequest withNormalizedPath(HttpServletRequest request, HttpServletResponse response,
			ServletRequestView view) throws IOException {
		HttpServletRequest forwarded = this.routing.forward(request, view.rawPath(), view.path());
		if (forwarded == null) {
			LocalReplies.write(response, this.pipeline.refuse(view, ServletPathRouting.refusal(request, view.path())));
		}
		return forwarded;
	}

}
