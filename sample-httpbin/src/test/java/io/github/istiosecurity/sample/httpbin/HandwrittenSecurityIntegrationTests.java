package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walk-through of {@code demo/README.md} against the hand-written Spring Security
 * variant (profile {@code handwritten}), with the committed demo tokens.
 * <p>
 * The allow/deny decisions are Istio's. The responses are Spring Security's and differ
 * from Istio's: bodies are empty (Istio: {@code RBAC: access denied},
 * {@code Jwt is expired}, ...), a request without a token gets 401 (Istio: 403 from the
 * ALLOW policy, since a missing token is not an authentication failure, §2.7), and the
 * {@code Authorization} header reaches the application (Istio removes it after
 * verification, §2.9).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("handwritten")
class HandwrittenSecurityIntegrationTests {

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@ParameterizedTest(name = "{0} {1} {2} -> {3} ({4})")
	@CsvSource(nullValues = "none", delimiter = '|', textBlock = """
			# token           | method | path        | status | why (Istio's answer where it differs)
			user1.jwt         | GET    | /headers    | 200    | rule 0: user1, GET
			user1.jwt         | GET    | /status/200 | 200    | rule 0: GET on any path
			user1.jwt         | POST   | /post       | 403    | user1 may only GET
			user1.jwt         | HEAD   | /get        | 403    | HEAD is not GET for Istio either
			user2.jwt         | GET    | /status/200 | 200    | rule 1: user2, /status/*
			user2.jwt         | POST   | /status/201 | 201    | rule 1: any method
			user2.jwt         | GET    | /status/a/b | 404    | /status/* is a prefix: allowed, then no such endpoint
			user2.jwt         | GET    | /headers    | 403    | user2 may only use /status/*
			user3-groups.jwt  | GET    | /get        | 403    | valid token, no rule names user3
			none              | GET    | /headers    | 401    | Istio: 403 RBAC: access denied
			none              | GET    | /status/200 | 401    | Istio: 403 RBAC: access denied
			expired.jwt       | GET    | /headers    | 401    | Istio: 401 Jwt is expired
			other-issuer.jwt  | GET    | /headers    | 401    | Istio: 401 Jwt issuer is not configured
			tampered.jwt      | GET    | /headers    | 401    | Istio: 401 Jwt verification fails
			""")
	void walkThrough(String token, String method, String path, int status, String why) throws Exception {
		HttpRequest.Builder request = request(path).method(method, BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + DemoFiles.read(token));
		}
		assertThat(send(request).statusCode()).isEqualTo(status);
	}

	@Test
	void garbageTokenIsUnauthorized() throws Exception {
		// Istio: 401 "Jwt is not in the form of Header.Payload.Signature with two dots
		// and 3 sections".
		HttpResponse<String> response = send(request("/headers").header("Authorization", "Bearer deadbeef"));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer error=\"invalid_token\""));
	}

	@Test
	void expiredTokenIsUnauthorizedWithSpringsDescription() throws Exception {
		HttpResponse<String> response = send(
				request("/headers").header("Authorization", "Bearer " + DemoFiles.read("expired.jwt")));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEmpty();
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("Jwt expired at 2020-01-01T00:00:00Z"));
	}

	@Test
	void deniedRequestHasEmptyBody() throws Exception {
		HttpResponse<String> response = send(
				request("/post").header("Authorization", "Bearer " + DemoFiles.read("user1.jwt"))
					.POST(BodyPublishers.ofString("{}")));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void authorizationHeaderReachesTheApplication() throws Exception {
		String token = DemoFiles.read("user1.jwt");
		HttpResponse<String> response = send(request("/headers").header("Authorization", "Bearer " + token));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"Authorization\":\"Bearer " + token + "\"");
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.client.send(request.build(), BodyHandlers.ofString());
	}

}
