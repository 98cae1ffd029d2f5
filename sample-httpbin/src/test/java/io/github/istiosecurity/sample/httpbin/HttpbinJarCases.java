package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.istiosecurity.sample.testsupport.RawHttp;
import io.github.istiosecurity.sample.testsupport.SampleJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Black-box tests of the packaged jar, started as a user starts it with policies from a
 * directory given on the command line: the walk-through of {@code demo/README.md} with
 * the committed demo tokens, and an invalid policy that stops the process with its file,
 * line and field. Subclasses choose the stack with the command-line arguments they add,
 * so the same cases run against the same jar started both ways.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpbinJarCases {

	SampleJar httpbin;

	Path policies;

	/**
	 * The arguments that select the stack
	 * ({@code --spring.main.web-application-type=...}), or none.
	 */
	abstract String[] stackArguments();

	private String[] withStack(String... arguments) {
		String[] stack = stackArguments();
		String[] all = new String[arguments.length + stack.length];
		System.arraycopy(arguments, 0, all, 0, arguments.length);
		System.arraycopy(stack, 0, all, arguments.length, stack.length);
		return all;
	}

	@BeforeAll
	void start() throws IOException {
		policies = Files.createTempDirectory("httpbin-policies");
		for (String file : new String[] { "httpbin-jwt.yaml", "httpbin-authz.yaml" }) {
			Files.copy(Path.of("src/main/resources/istio", file), policies.resolve(file));
		}
		Files.copy(Path.of("demo/operators.yaml"), policies.resolve("operators.yaml"));
		httpbin = SampleJar.start("httpbin-walkthrough-" + getClass().getSimpleName(), SampleJar.jar("httpbin.jar"),
				withStack("--istio.security.policy-locations=file:" + policies + "/*.yaml",
						"--istio.security.workload.namespace=foo", "--istio.security.workload.labels.app=httpbin",
						"--management.endpoints.web.exposure.include=health,istio"));
	}

	@AfterAll
	void stop() {
		if (httpbin != null) {
			httpbin.close();
		}
	}

	@ParameterizedTest(name = "#{0} {1} {2} with {3} -> {4}")
	@CsvSource(delimiter = '|', nullValues = "-",
			textBlock = """
					1  | GET    | /headers           | user1.jwt        | 200 |
					2  | POST   | /post              | user1.jwt        | 403 | RBAC: access denied
					3  | GET    | /status/200        | user2.jwt        | 200 |
					4  | DELETE | /status/418        | user2.jwt        | 418 |
					5  | GET    | /headers           | user2.jwt        | 403 | RBAC: access denied
					6  | GET    | /headers           | -                | 403 | RBAC: access denied
					7  | GET    | /headers           | expired.jwt      | 401 | Jwt is expired
					8  | GET    | /headers           | deadbeef         | 401 | Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections
					9  | GET    | /headers           | other-issuer.jwt | 401 | Jwt issuer is not configured
					10 | GET    | /headers           | tampered.jwt     | 401 | Jwt verification fails
					11 | GET    | /get               | user3-groups.jwt | 403 | RBAC: access denied
					""")
	void walkThrough(int step, String method, String path, String token, int status, String body) throws IOException {
		String[] headers = (token == null) ? new String[0]
				: new String[] { "Authorization", "Bearer " + tokenValue(token) };
		HttpResponse<String> response = httpbin.send(method, path, headers);
		assertThat(response.statusCode()).as("step %s: %s", step, response.body()).isEqualTo(status);
		if (body != null) {
			assertThat(response.body()).isEqualTo(body);
		}
		if (status == 401) {
			assertThat(response.headers().firstValue("www-authenticate"))
				.hasValue("Bearer realm=\"http://127.0.0.1:" + httpbin.port() + path + "\", error=\"invalid_token\"");
		}
	}

	/**
	 * The boundary through raw sockets (request-targets exactly as written): the path the
	 * policies decide on is the path httpbin serves ({@code url} of the echo), a path
	 * httpbin would route differently is refused with the reason, and a method outside
	 * HTTP's usual few reaches the policies. user1 may GET anything, user2 may use
	 * {@code /status/*}.
	 */
	@ParameterizedTest(name = "{0} {1} as {2} -> {3} {4}")
	@CsvSource(delimiter = '|', nullValues = "-",
			textBlock = """
					GET      | /anything/a/../b          | user1.jwt | 200 | url=/anything/b
					GET      | /anything/./b             | user1.jwt | 200 | url=/anything/b
					GET      | /anything/%2E%2e/anything | user1.jwt | 200 | url=/anything
					GET      | /anything//b              | user1.jwt | 200 | url=/anything//b
					GET      | /anything/%252e%252e/b    | user1.jwt | 200 | url=/anything/%252e%252e/b
					GET      | /anything/%62             | user1.jwt | 200 | url=/anything/b
					GET      | /anything/b;jsessionid=1  | user1.jwt | 400 | Bad Request: path parameters (';') are not supported: the application would route on the path without them, not on the path decided
					GET      | /status/../headers        | user2.jwt | 403 | RBAC: access denied
					PUT      | /anything/../status/418   | user2.jwt | 418 | -
					PROPFIND | /anything/b               | user1.jwt | 403 | RBAC: access denied
					""")
	void thePathDecidedIsThePathServed(String method, String target, String token, int status, String expected)
			throws IOException {
		RawHttp.Response response = new RawHttp(httpbin.port()).send(method, target, "Authorization",
				"Bearer " + tokenValue(token));
		assertThat(response.status()).as("%s %s: %s", method, target, response.body()).isEqualTo(status);
		if (expected != null && expected.startsWith("url=")) {
			assertThat(response.body())
				.contains("\"url\":\"http://127.0.0.1:" + httpbin.port() + expected.substring(4) + "\"");
		}
		else if (expected != null) {
			assertThat(response.body()).isEqualTo(expected);
		}
	}

	/**
	 * The request line and the authority as Envoy reads them, through raw sockets: no
	 * authority or a target Envoy refuses is 400 on both stacks (Tomcat refuses them
	 * itself, the starter on Netty); HTTP/1.0 with a {@code Host} is served and decided
	 * (a default sidecar would answer 426, see the README).
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			HTTP/1.1 without Host           | GET /headers HTTP/1.1                      | -                 | 400
			absolute-form with an ftp URL    | GET ftp://httpbin.example/headers HTTP/1.1 | Host: localhost   | 400
			HTTP/1.0 with Host, user1        | GET /headers HTTP/1.0                      | Host: localhost   | 200
			HTTP/1.0 with Host, no token     | GET /headers HTTP/1.0                      | Host: localhost   | 403
			""")
	void theRequestLineAndTheAuthorityAsEnvoyReadsThem(String name, String requestLine, String host, int status)
			throws IOException {
		StringBuilder request = new StringBuilder(requestLine).append("\r\n");
		if (!"-".equals(host)) {
			request.append(host).append("\r\n");
		}
		if (name.endsWith("user1")) {
			request.append("Authorization: Bearer ").append(tokenValue("user1.jwt")).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		RawHttp.Response response = new RawHttp(httpbin.port())
			.exchange(request.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		assertThat(response.status()).as("%s: %s", name, response.body()).isEqualTo(status);
		if (status == 403) {
			assertThat(response.body()).isEqualTo("RBAC: access denied");
		}
	}

	/**
	 * The istio actuator endpoint, exposed on the command line and opened to operators by
	 * {@code demo/operators.yaml}: others get Istio's 403 unless a rule of theirs covers
	 * the path; an operator reads the policies in force and checks what user1 may do,
	 * with the deciding policy and rule.
	 */
	@Test
	void theIstioEndpointServesOperatorsOnly() throws IOException {
		assertThat(httpbin.send("GET", "/actuator/istio").statusCode()).isEqualTo(403);
		assertThat(httpbin.send("GET", "/actuator/istio", "Authorization", "Bearer " + tokenValue("user2.jwt"))
			.statusCode()).isEqualTo(403);
		// user1 may GET anything: a rule without paths covers the endpoint too, as it
		// would behind a sidecar
		assertThat(httpbin.send("GET", "/actuator/istio", "Authorization", "Bearer " + tokenValue("user1.jwt"))
			.statusCode()).isEqualTo(200);
		String operator = "Bearer " + tokenValue("operator.jwt");
		HttpResponse<String> read = httpbin.send("GET", "/actuator/istio", "Authorization", operator);
		assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
		assertThat(read.body()).contains("\"name\":\"foo/require-jwt\"", "\"name\":\"foo/operators\"",
				"\"keyIds\":[\"httpbin-demo-2048\"]");
		HttpResponse<String> allowed = httpbin
			.send("POST", "/actuator/istio/check", java.net.http.HttpRequest.BodyPublishers.ofString(
					"{\"method\": \"GET\", \"path\": \"/headers\", \"principal\": \"testing@secure.istio.io/user1\"}"),
					"Authorization", operator, "Content-Type", "application/json");
		assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
		assertThat(allowed.body()).contains("\"status\":200", "\"allowed\":true", "\"policy\":\"foo/require-jwt\"",
				"\"rule\":0", "\"action\":\"ALLOW\"");
		HttpResponse<String> denied = httpbin
			.send("POST", "/actuator/istio/check", java.net.http.HttpRequest.BodyPublishers.ofString(
					"{\"method\": \"POST\", \"path\": \"/post\", \"principal\": \"testing@secure.istio.io/user1\"}"),
					"Authorization", operator, "Content-Type", "application/json");
		assertThat(denied.body()).contains("\"status\":403", "\"allowed\":false", "\"policy\":null",
				"\"action\":\"NONE\"", "did not match method \\\"POST\\\"");
	}

	@Test
	void theApplicationNoLongerSeesTheVerifiedTokensHeader() throws IOException {
		HttpResponse<String> response = httpbin.send("GET", "/headers", "Authorization",
				"Bearer " + tokenValue("user1.jwt"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContainIgnoringCase("authorization");
	}

	@Test
	void aTokenInTheQueryIsAcceptedAndLeftInPlace() throws IOException {
		HttpResponse<String> response = httpbin.send("GET", "/get?access_token=" + tokenValue("user1.jwt"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("access_token");
	}

	@Test
	void aLowerCaseSchemeIsNoToken() throws IOException {
		HttpResponse<String> response = httpbin.send("GET", "/headers", "Authorization",
				"bearer " + tokenValue("user1.jwt"));
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void anInvalidPolicyStopsTheProcessNamingFileLineAndField() throws Exception {
		Path broken = Files.createTempDirectory("httpbin-broken");
		Files.writeString(broken.resolve("broken.yaml"), """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata:
				  name: broken
				spec:
				  rules:
				  - to:
				    - operation:
				        ports: ["http"]
				""");
		SampleJar jar = SampleJar.launch("httpbin-invalid-" + getClass().getSimpleName(), SampleJar.jar("httpbin.jar"),
				withStack("--istio.security.policy-locations=file:" + broken + "/*.yaml"));
		int exit = jar.awaitExit(Duration.ofSeconds(90));
		assertThat(exit).isNotZero();
		assertThat(jar.output()).contains("broken.yaml:9: spec.rules[0].to[0].operation.ports: bad port (http)");
	}

	private static String tokenValue(String file) throws IOException {
		Path path = Path.of("demo/tokens", file);
		return Files.exists(path) ? Files.readString(path).trim() : file;
	}

}
