package io.github.istiosecurity.sample.httpbin;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The same controller test on WebFlux, the sample's other stack: a {@code @WebFluxTest}
 * slice of {@link HttpbinController} with the sample's own policies in force, through
 * {@link WebTestClient}.
 */
@WebFluxTest(HttpbinController.class)
@Import(RequestEcho.class)
class HttpbinControllerWebFluxTests {

	@Autowired
	private WebTestClient client;

	@Test
	void withoutATokenTheAllowPolicyDenies() {
		this.client.get()
			.uri("/headers")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody(String.class)
			.isEqualTo("RBAC: access denied");
	}

	@Test
	void anExpiredTokenIsRejected() {
		this.client.get()
			.uri("/headers")
			.header(HttpHeaders.AUTHORIZATION, bearer("expired.jwt"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\".*\", error=\"invalid_token\"")
			.expectBody(String.class)
			.isEqualTo("Jwt is expired");
	}

	@Test
	void user1MayGetAndTheControllerNoLongerSeesTheToken() {
		this.client.get()
			.uri("/headers")
			.header(HttpHeaders.AUTHORIZATION, bearer("user1.jwt"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.headers.Host")
			.exists()
			.jsonPath("$.headers.Authorization")
			.doesNotExist();
	}

	@Test
	void user1MayNotPost() {
		this.client.post()
			.uri("/post")
			.header(HttpHeaders.AUTHORIZATION, bearer("user1.jwt"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody(String.class)
			.isEqualTo("RBAC: access denied");
	}

	private static String bearer(String token) {
		return "Bearer " + DemoFiles.read(token);
	}

}
