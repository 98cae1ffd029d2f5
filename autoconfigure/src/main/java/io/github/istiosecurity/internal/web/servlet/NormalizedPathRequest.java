package io.github.istiosecurity.internal.web.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.MappingMatch;
import org.jspecify.annotations.Nullable;

/**
 * The request with the normalized path in place of the one received, as Envoy forwards it
 * (§5.1): request URI, request URL, servlet path, path info and servlet mapping all tell
 * the same path, so that Spring MVC (and anything else that routes on them) serves the
 * path that was decided.
 */
final class NormalizedPathRequest extends HttpServletRequestWrapper {

	private final String requestUri;

	private final ServletRoutes.Route route;

	NormalizedPathRequest(HttpServletRequest request, String normalizedPath, ServletRoutes.Route route) {
		super(request);
		this.requestUri = normalizedPath;
		this.route = route;
	}

	@Override
	public String getRequestURI() {
		return this.requestUri;
	}

	@Override
	public StringBuffer getRequestURL() {
		StringBuffer url = new StringBuffer();
		String scheme = getScheme();
		int port = getServerPort();
		url.append(scheme).append("://").append(getServerName());
		if (port > 0 && !(("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443))) {
			url.append(':').append(port);
		}
		return url.append(this.requestUri);
	}

	@Override
	public String getServletPath() {
		return this.route.servletPath();
	}

	@Override
	public @Nullable String getPathInfo() {
		return this.route.pathInfo();
	}

	@Override
	public @Nullable String getPathTranslated() {
		String pathInfo = this.route.pathInfo();
		return (pathInfo != null) ? getServletContext().getRealPath(pathInfo) : null;
	}

	@Override
	public HttpServletMapping getHttpServletMapping() {
		ServletRoutes.Route route = this.route;
		return new HttpServletMapping() {

			@Override
			public String getMatchValue() {
				return route.matchValue();
			}

			@Override
			public String getPattern() {
				return route.pattern();
			}

			@Override
			public String getServletName() {
				return route.servletName();
			}

			@Override
			public MappingMatch getMappingMatch() {
				return route.match();
			}

		};
	}

}
