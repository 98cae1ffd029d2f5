package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.InboundPipeline;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.UrlPathHelper;

/**
 * Hands a servlet application the normalized path in place of the one received, where the
 * container mapped the request to the servlet that the normalized path maps to; otherwise
 * says why it cannot. The container chose the context and the servlet on its own reading
 * of the path (decoded, dot segments resolved, {@code //} merged), before any filter ran.
 */
final class ServletPathRouting {

	static final String OTHER_SERVLET = "the servlet container maps the normalized path to another servlet "
			+ "than the path it received";

	private volatile @Nullable ServletRoutes routes;

	/**
	 * Returns the request to forward: the request itself when the container maps the path
	 * as received, which is the normalized one, otherwise a
	 * {@link NormalizedPathRequest}.
	 * @param request the request as the container mapped it
	 * @param rawPath the path as received
	 * @param path the normalized path
	 * @return the request to forward, or {@code null} when it cannot be served on the
	 * normalized path (then {@link #refusal} says why)
	 */
	@Nullable HttpServletRequest forward(HttpServletRequest request, String rawPath, String path) {
		if (path.equals(rawPath) && !containerRewrites(rawPath)) {
			return request;
		}
		String contextPath = request.getContextPath();
		if (!InboundPipeline.withinContext(path, contextPath)) {
			return null;
		}
		String withinContext = ServletPathDecoder.decode(path.substring(contextPath.length()));
		ServletRoutes.Route route = routes(request).resolve(withinContext.isEmpty() ? "/" : withinContext);
		String mapped = request.getHttpServletMapping().getServletName();
		if (route == null || (mapped != null && !mapped.isEmpty() && !mapped.equals(route.servletName()))) {
			return null;
		}
		// a path parsed before (e.g. by a request matcher) must not outlive the rewrite
		request.removeAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
		request.removeAttribute(UrlPathHelper.PATH_ATTRIBUTE);
		return new NormalizedPathRequest(request, path, route);
	}

	/**
	 * Why {@link #forward} returned {@code null}.
	 * @param request the request
	 * @param path the normalized path
	 * @return the reason
	 */
	static String refusal(HttpServletRequest request, String path) {
		return InboundPipeline.withinContext(path, request.getContextPath()) ? OTHER_SERVLET
				: InboundPipeline.OUTSIDE_CONTEXT;
	}

	/**
	 * Whether a container may map a path other than as received: it decodes escapes,
	 * treats {@code \}, merges {@code //} and resolves dot segments before mapping.
	 */
	private static boolean containerRewrites(String rawPath) {
		return rawPath.indexOf('%') >= 0 || rawPath.indexOf('\\') >= 0 || rawPath.contains("//")
				|| rawPath.contains("/.");
	}

	private ServletRoutes routes(HttpServletRequest request) {
		ServletRoutes routes = this.routes;
		if (routes == null) {
			// the mappings are fixed once the context serves requests
			routes = ServletRoutes.of(request.getServletContext());
			this.routes = routes;
		}
		return routes;
	}

}
