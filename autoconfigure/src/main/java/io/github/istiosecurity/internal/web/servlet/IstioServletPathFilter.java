package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;

import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.LocalReply;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs before Spring Security, for one kind of request only: one the container mapped to
 * a servlet by path prefix, exact path or extension (anything but the default servlet,
 * Spring MVC's dispatcher) on its own reading of a request-target it had to canonicalize
 * first (dot segments, {@code //}, escapes), so that the request URI does not start with
 * the servlet path. Spring Security's own request-path parsing fails on such a request (a
 * 500) before any filter of the chain runs; here it gets the normalized path first, when
 * that maps to the same servlet, and is refused with 400 and the reason otherwise. Every
 * other request passes untouched; the {@link IstioEnforcementFilter} in the chain does
 * the rest.
 */
public final class IstioServletPathFilter extends OncePerRequestFilter {

	private final InboundPipeline pipeline;

	private final ServletPathRouting routing = new ServletPathRouting();

	/**
	 * Creates the filter.
	 * @param pipeline the pipeline: its path normalization, and its refusals (logged and
	 * counted)
	 */
	public IstioServletPathFilter(InboundPipeline pipeline) {
		this.pipeline = pipeline;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpServletMapping mapping = request.getHttpServletMapping();
		MappingMatch match = (mapping != null) ? mapping.getMappingMatch() : null;
		String rawUri = request.getRequestURI();
		if (match == null || match == MappingMatch.DEFAULT || match == MappingMatch.CONTEXT_ROOT
				|| rawUri.startsWith(request.getContextPath() + request.getServletPath())) {
			chain.doFilter(request, response);
			return;
		}
		String rawPath = PathNormalizer.pathOf(rawUri);
		String path = this.pipeline.normalizer().normalize(rawPath);
		if (path == null) {
			LocalReplies.write(response, this.pipeline.refuse(request.getMethod(), rawPath, LocalReply.BAD_REQUEST));
			return;
		}
		HttpServletRequest forwarded = this.routing.forward(request, rawPath, path);
		if (forwarded == null) {
			LocalReplies.write(response, this.pipeline.refuse(request.getMethod(), rawPath,
					LocalReply.badRequest(ServletPathRouting.refusal(request, path))));
			return;
		}
		chain.doFilter(forwarded, response);
	}

}
