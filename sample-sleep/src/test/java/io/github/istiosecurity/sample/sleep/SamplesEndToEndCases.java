package io.github.istiosecurity.sample.sleep;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.istiosecurity.sample.testsupport.SampleJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two samples together, both packaged jars started as processes on random loopback
 * ports: sample-sleep replays the walk-through against sample-httpbin (at start-up,
 * printed, and on {@code GET /replay}), every step with the status
 * {@code sample-httpbin/demo/README.md} expects; and {@code /call/**} forwards the
 * caller's token, so httpbin's {@code requestPrincipals} rules decide on the original
 * caller. Subclasses choose httpbin's stack; sleep is always WebFlux.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SamplesEndToEndCases {

	SampleJar httpbin;

	SampleJar sleep;

	/** The arguments that select httpbin's stack, or none. */
	abstract String[] httpbinStackArguments();

	@BeforeAll
	void start() throws IOException {
		String name = getClass().getSimpleName();
		this.httpbin = SampleJar.start("httpbin-" + name, SampleJar.jar("httpbin.jar"), httpbinStackArguments());
		this.sleep = SampleJar.start("sleep-" + name, SampleJar.jar("sleep.jar"),
				"--sleep.httpbin-url=" + this.httpbin.url());
	}

	@AfterAll
	void stop() {
		if (this.sleep != null) {
			this.sleep.close();
		}
		if (this.httpbin != null) {
			this.httpbin.close();
		}
	}

	@Test
	void theStartupReplayPrintsEveryStepWithTheStatusTheReadmeExpects() throws IOException {
		String output = this.sleep.awaitOutput("steps as Istio answers", Duration.ofSeconds(60));
		Map<Integer, String[]> table = new HashMap<>();
		for (String line : output.lines().toList()) {
			String[] columns = line.strip().split("\\s{2,}");
			if (columns.length == 6 && columns[0].matches("\\d+")) {
				table.put(Integer.valueOf(columns[0]), columns);
			}
		}
		List<DemoWalkThrough.Row> readme = DemoWalkThrough.rows();
		assertThat(table).hasSameSizeAs(readme);
		for (DemoWalkThrough.Row row : readme) {
			String[] columns = table.get(row.step());
			assertThat(columns).as("step %s", row.step()).isNotNull();
			assertThat(columns[4]).as("actual status of step %s", row.step()).isEqualTo(String.valueOf(row.status()));
			assertThat(columns[5]).as("step %s", row.step()).isEqualTo("ok");
		}
		assertThat(output).contains("13 of 13 steps as Istio answers");
	}

	@Test
	void theReplayEndpointAnswersEveryStepAsTheReadmeExpects() throws IOException {
		HttpResponse<String> response = this.sleep.send("GET", "/replay");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode replay = JsonMapper.shared().readTree(response.body());
		List<DemoWalkThrough.Row> readme = DemoWalkThrough.rows();
		assertThat(replay.path("steps").size()).isEqualTo(readme.size());
		for (DemoWalkThrough.Row row : readme) {
			JsonNode step = replay.path("steps").get(row.step() - 1);
			assertThat(step.path("step").asInt()).isEqualTo(row.step());
			assertThat(step.path("actualStatus").asInt()).as("step %s: %s", row.step(), step).isEqualTo(row.status());
			assertThat(step.path("asExpected").asBoolean()).as("step %s: %s", row.step(), step).isTrue();
		}
		assertThat(replay.path("asExpected").asInt()).isEqualTo(13);
	}

	@ParameterizedTest(name = "{0} {1} with {2} -> {3} from {4}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			GET    | /call/headers    | user1.jwt        | 200 | httpbin |
			POST   | /call/post       | user1.jwt        | 403 | httpbin | RBAC: access denied
			GET    | /call/status/418 | user2.jwt        | 418 | httpbin |
			DELETE | /call/status/200 | user2.jwt        | 200 | httpbin |
			GET    | /call/headers    | user2.jwt        | 403 | httpbin | RBAC: access denied
			GET    | /call/get        | user3-groups.jwt | 403 | httpbin | RBAC: access denied
			GET    | /call/headers    | -                | 403 | sleep   | RBAC: access denied
			GET    | /call/headers    | expired.jwt      | 401 | sleep   | Jwt is expired
			GET    | /call/headers    | other-issuer.jwt | 401 | sleep   | Jwt issuer is not configured
			GET    | /headers         | user1.jwt        | 403 | sleep   | RBAC: access denied
			""")
	void callsCarryTheCallersIdentityToHttpbin(String method, String path, String token, int status, String decidedBy,
			String body) throws IOException {
		HttpResponse<String> response = (token != null)
				? this.sleep.send(method, path, "Authorization", "Bearer " + DemoTokens.value(token))
				: this.sleep.send(method, path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue(CallController.UPSTREAM_HEADER)).as("who answered")
			.isEqualTo(decidedBy.equals("httpbin") ? Optional.of("httpbin") : Optional.empty());
		if (body != null) {
			assertThat(response.body()).isEqualTo(body);
		}
	}

	@Test
	void aForwardedCallKeepsQueryAndBodyAndHttpbinNeverSeesTheToken() throws IOException {
		HttpResponse<String> response = this.sleep.send("GET", "/call/anything/x?a=1&b=two%20words",
				HttpRequest.BodyPublishers.ofString("hello"), "Authorization",
				"Bearer " + DemoTokens.value("user1.jwt"));
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode echo = JsonMapper.shared().readTree(response.body());
		assertThat(echo.path("args").path("a").asString()).isEqualTo("1");
		assertThat(echo.path("args").path("b").asString()).isEqualTo("two words");
		assertThat(echo.path("data").asString()).isEqualTo("hello");
		assertThat(echo.path("url").asString()).endsWith("/anything/x?a=1&b=two%20words");
		// httpbin verified the forwarded token and removed its header before its
		// application, as Istio does
		assertThat(echo.path("headers").has("Authorization")).isFalse();
	}

}
