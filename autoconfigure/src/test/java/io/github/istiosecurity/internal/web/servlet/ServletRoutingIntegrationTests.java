package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The servlet container routes a request to a servlet on its own reading of the path,
 * before any filter runs; the starter serves the normalized path, with a servlet path and
 * path info of that path, where that reading reaches the same servlet, and refuses with
 * 400 and the reason where it does not ({@code ServletRoutesTests} covers the mapping
 * rules). Also: the error page of a decided request is not turned into {@code 403}.
 */
@SpringBootTest(classes = { EchoApplication.class, ServletRoutingIntegrationTests.Servlets.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServletRoutingIntegrationTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("istio-routing");
		Files.writeString(dir.resolve("policies.yaml"), """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: allow}
				spec:
				  rules:
				  - to: [{operation: {paths: ["/legacy/*", "//legacy/*", "/anything/*", "/teapot"]}}]
				""");
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@Test
	void aPathMappedByPrefixIsServedWithItsServletPathAndPathInfo() {
		assertThat(http().get("/legacy/x").body()).isEqualTo("legacy /legacy/x servlet=/legacy info=/x");
	}

	@Test
	void aPathTheContainerCanonicalizedToAPrefixMappedServletIsServedNormalized() {
		// Tomcat maps these to the legacy servlet on its own reading; so does the
		// normalized "/legacy/x" (without
		// the early filter, Spring Security's request-path parsing fails on them with
		// 500)
		assertThat(http().get("/anything/../legacy/x").body()).isEqualTo("legacy /legacy/x servlet=/legacy info=/x");
		assertThat(http().get("/%6Cegacy/x").body()).isEqualTo("legacy /legacy/x servlet=/legacy info=/x");
	}

	@Test
	void aPathTheContainerMapsToAnotherServletIsRefused() {
		// Tomcat merges "//" and maps to the legacy servlet; BASE keeps "//legacy/x",
		// which is the dispatcher's
		var response = http().get("//legacy/x");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("Bad Request: the servlet container maps the normalized path to "
				+ "another servlet than the path it received");
	}

	@Test
	void theDispatchersPathsAreServedNormalizedWhenTheyStayWithTheDispatcher() {
		// Tomcat maps "/legacy/%2e%2e/anything/x" to the dispatcher (as "/anything/x"),
		// and so does BASE
		assertThat(http().get("/legacy/%2e%2e/anything/x").statusCode()).isEqualTo(200);
	}

	@Test
	void anErrorDispatchIsNotDecidedAsARequest() {
		var response = http().get("/teapot");
		assertThat(response.statusCode()).isEqualTo(418);
		assertThat(response.body()).doesNotContain("RBAC");
	}

	private Http http() {
		return new Http(this.port);
	}

	static class Servlets {

		@Bean
		ServletRegistrationBean<HttpServlet> legacy() {
			return new ServletRegistrationBean<>(new HttpServlet() {

				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
					response.getWriter()
						.write("legacy " + request.getRequestURI() + " servlet=" + request.getServletPath() + " info="
								+ request.getPathInfo());
				}

			}, "/legacy/*");
		}

		@Bean
		Teapot teapot() {
			return new Teapot();
		}

	}

	@RestController
	static class Teapot {

		@GetMapping("/teapot")
		void teapot(HttpServletResponse response) throws IOException {
			response.sendError(418);
		}

	}

}
