package io.github.istiosecurity.sample.httpbin;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A controller test as an application writes one: a {@code @WebMvcTest} slice of
 * {@link HttpbinController} with the sample's own policies
 * ({@code src/main/resources/istio/}, workload foo/httpbin from {@code application.yml})
 * in force, as in the running application, and the committed demo tokens.
 */
@WebMvcTest(HttpbinController.class)
@Import(RequestEcho.class)
class HttpbinControllerWebMvcTests {

	@Autowired
	private MockMvcTester mvc;

	@Test
	void withoutATokenTheAllowPolicyDenies() {
		assertThat(this.mvc.get().uri("/headers")).hasStatus(403).bodyText().isEqualTo("RBAC: access denied");
	}

	@Test
	void anExpiredTokenIsRejected() {
		assertThat(this.mvc.get().uri("/headers").header(HttpHeaders.AUTHORIZATION, bearer("expired.jwt")))
			.hasStatus(401)
			.hasHeader(HttpHeaders.WWW_AUTHENTICATE,
					"Bearer realm=\"http://localhost/headers\", error=\"invalid_token\"")
			.bodyText()
			.isEqualTo("Jwt is expired");
	}

	@Test
	void user1MayGetAndTheControllerNoLongerSeesTheToken() {
		assertThat(this.mvc.get().uri("/headers").header(HttpHeaders.AUTHORIZATION, bearer("user1.jwt"))).hasStatusOk()
			.bodyJson()
			.extractingPath("$.headers")
			.asMap()
			.containsKey("Host")
			.doesNotContainKey("Authorization");
	}

	@Test
	void user1MayNotPost() {
		assertThat(this.mvc.post().uri("/post").header(HttpHeaders.AUTHORIZATION, bearer("user1.jwt"))).hasStatus(403)
			.bodyText()
			.isEqualTo("RBAC: access denied");
	}

	private static String bearer(String token) {
		return "Bearer " + DemoFiles.read(token);
	}

}
