package io.github.istiosecurity.internal.web.servlet;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.MappingMatch;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servlet mapping as the Servlet specification orders it: exact, longest prefix,
 * extension, context root, default.
 */
class ServletRoutesTests {

	private final ServletRoutes routes = routes();

	@Test
	void exactMatchWinsOverEverything() {
		ServletRoutes.Route route = this.routes.resolve("/api/status");
		assertThat(route).isEqualTo(new ServletRoutes.Route("status", MappingMatch.EXACT, "/api/status", "/api/status",
				null, "api/status"));
	}

	@Test
	void theLongestPrefixWins() {
		assertThat(this.routes.resolve("/api/v2/x"))
			.isEqualTo(new ServletRoutes.Route("v2", MappingMatch.PATH, "/api/v2/*", "/api/v2", "/x", "x"));
		assertThat(this.routes.resolve("/api/v1/x"))
			.isEqualTo(new ServletRoutes.Route("api", MappingMatch.PATH, "/api/*", "/api", "/v1/x", "v1/x"));
		assertThat(this.routes.resolve("/api"))
			.isEqualTo(new ServletRoutes.Route("api", MappingMatch.PATH, "/api/*", "/api", null, ""));
		assertThat(this.routes.resolve("/apix").servletName()).isEqualTo("dispatcher");
	}

	@Test
	void extensionsMatchTheLastSegmentOnly() {
		assertThat(this.routes.resolve("/pages/a.jsp")).isEqualTo(
				new ServletRoutes.Route("jsp", MappingMatch.EXTENSION, "*.jsp", "/pages/a.jsp", null, "pages/a"));
		assertThat(this.routes.resolve("/a.jsp/b").servletName()).isEqualTo("dispatcher");
	}

	@Test
	void theContextRootAndTheDefaultServlet() {
		assertThat(this.routes.resolve("/"))
			.isEqualTo(new ServletRoutes.Route("root", MappingMatch.CONTEXT_ROOT, "", "", "/", ""));
		assertThat(this.routes.resolve("/owners//find"))
			.isEqualTo(new ServletRoutes.Route("dispatcher", MappingMatch.DEFAULT, "/", "/owners//find", null, ""));
	}

	@Test
	void noServletForAPathNothingMaps() {
		assertThat(ServletRoutes.of(Map.of("api", List.of("/api/*"))).resolve("/other")).isNull();
	}

	private static ServletRoutes routes() {
		return ServletRoutes.of(Map.of("dispatcher", List.of("/"), "root", List.of(""), "status",
				List.of("/api/status"), "api", List.of("/api/*"), "v2", List.of("/api/v2/*"), "jsp", List.of("*.jsp")));
	}

}
