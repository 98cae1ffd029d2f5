package io.github.istiosecurity.sample.sleep;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sample-sleep on its own, over real HTTP, with httpbin's address pointing at a closed
 * port: its own policies decide before any call leaves (403 without a demo token, 401 for
 * a bad one), an allowed call to an absent httpbin is Envoy's 503, and the replay reports
 * every step as unreachable rather than failing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sleep.replay.on-startup=false", "sleep.timeout=2s" })
class SleepWithoutHttpbinIntegrationTests {

	private static final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@DynamicPropertySource
	static void closedHttpbin(DynamicPropertyRegistry registry) throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		registry.add("sleep.httpbin-url", () -> "http://127.0.0.1:" + closed);
	}

	@Test
	void itRunsOnTheReactiveStack() {
		assertThat(this.context.getBeansOfType(WebFilter.class)).isNotEmpty();
		assertThat(this.context.getClass().getSimpleName()).contains("Reactive");
	}

	@Test
	void aCallWithoutATokenIsDeniedBySleepItself() throws Exception {
		HttpResponse<String> response = send("GET", "/call/headers", null);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("RBAC: access denied");
		assertThat(response.headers().firstValue(CallController.UPSTREAM_HEADER)).isEmpty();
	}

	@Test
	void aBadTokenIsRejectedBySleepWithEnvoysAnswer() throws Exception {
		HttpResponse<String> expired = send("GET", "/call/headers", "expired.jwt");
		assertThat(expired.statusCode()).isEqualTo(401);
		assertThat(expired.body()).isEqualTo("Jwt is expired");
		assertThat(expired.headers().firstValue("www-authenticate"))
			.hasValue("Bearer realm=\"http://127.0.0.1:" + this.port + "/call/headers\", error=\"invalid_token\"");
		assertThat(send("GET", "/call/headers", "tampered.jwt").body()).isEqualTo("Jwt verification fails");
	}

	@Test
	void anAllowedCallToAnAbsentHttpbinIsEnvoys503() throws Exception {
		HttpResponse<String> response = send("GET", "/call/headers", "user1.jwt");
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).startsWith("upstream connect error or disconnect/reset before headers");
	}

	@Test
	void pathsNoRuleAllowsAreDenied() throws Exception {
		assertThat(send("GET", "/", "user1.jwt").statusCode()).isEqualTo(403);
		assertThat(send("POST", "/replay", null).statusCode()).isEqualTo(403);
		assertThat(send("GET", "/callx/headers", "user1.jwt").statusCode()).isEqualTo(403);
		// "/call/*" is the prefix "/call/": "/call" itself is not under it
		assertThat(send("GET", "/call", "user1.jwt").statusCode()).isEqualTo(403);
	}

	@Test
	void theReplayReportsAnAbsentHttpbinOnEveryRow() throws Exception {
		HttpResponse<String> response = send("GET", "/replay", null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode replay = JsonMapper.shared().readTree(response.body());
		assertThat(replay.path("total").asInt()).isEqualTo(13);
		assertThat(replay.path("asExpected").asInt()).isZero();
		for (JsonNode step : replay.path("steps")) {
			assertThat(step.path("actualStatus").asInt()).isZero();
			assertThat(step.path("mismatch").asString()).startsWith("httpbin unreachable");
		}
		HttpResponse<String> table = send("GET", "/replay/table", null);
		assertThat(table.body()).contains("0 of 13 steps as Istio answers");
	}

	@Test
	void sleepAcceptsTheSameIssuerAndKeyAsHttpbin() throws IOException {
		String jwks = Files.readString(Path.of("..", "sample-httpbin", "demo", "tokens", "jwks.json")).strip();
		String policy = Files.readString(Path.of("src", "main", "resources", "istio", "sleep-jwt.yaml"));
		assertThat(policy).contains("jwks: '" + jwks + "'").contains("issuer: \"testing@secure.istio.io\"");
	}

	private HttpResponse<String> send(String method, String path, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + DemoTokens.value(token));
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
