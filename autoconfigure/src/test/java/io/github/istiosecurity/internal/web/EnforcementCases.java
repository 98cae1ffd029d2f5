package io.github.istiosecurity.internal.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.testsupport.CasePolicies;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import io.github.istiosecurity.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.istiosecurity.testsupport.CasePolicies.DOWN_IDP;
import static io.github.istiosecurity.testsupport.CasePolicies.EC;
import static io.github.istiosecurity.testsupport.CasePolicies.EC_IDP;
import static io.github.istiosecurity.testsupport.CasePolicies.IDP;
import static io.github.istiosecurity.testsupport.CasePolicies.K1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one table of request cases that every stack must answer identically (STYLE: one
 * scenario table against every adapter): the same policies, keys and tokens, real HTTP
 * against a real embedded server. Subclasses only choose the stack
 * ({@code spring.main.web-application-type}), so the servlet and reactive adapters cannot
 * drift apart.
 */
public abstract class EnforcementCases {

	/** One key-set server for the JVM: both stacks' contexts read the same keys. */
	static final JwksServer JWKS = startJwks();

	static final Path POLICIES = CasePolicies.write(JWKS.jwksUri());

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) {
		registry.add("istio.security.policy-locations", () -> "file:" + POLICIES + "/*.yaml");
		registry.add("istio.security.workload.namespace", () -> "foo");
		registry.add("istio.security.workload.labels.app", () -> "httpbin");
	}

	static List<EnforcementCase> cases() {
		String user1 = token("user1");
		String levelled = Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "level", 1.5));
		String ecToken = Tokens.sign(EC, Map.of("iss", EC_IDP, "sub", "svc", "aud", List.of("api.example.com")));
		String unsigned = Tokens.unsigned(Map.of("iss", IDP, "sub", "user1"));
		String format = "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections";
		return List.of(EnforcementCase.of("no token, public path", "GET", "/public").expect(200),
				EnforcementCase.of("no token, ALLOW policy denies", "GET", "/headers")
					.expect(403, "RBAC: access denied"),
				EnforcementCase.of("actuator health allowed by a policy", "GET", "/actuator/health").expect(200),
				EnforcementCase.of("actuator env denied like any path", "GET", "/actuator/env")
					.expect(403, "RBAC: access denied"),
				EnforcementCase.of("user1 may GET", "GET", "/anything/x").bearer(user1).expect(200),
				EnforcementCase.of("user1 may not POST", "POST", "/anything/x")
					.bearer(user1)
					.expect(403, "RBAC: access denied"),
				EnforcementCase.of("user2 may PUT /status/*", "PUT", "/status/201").bearer(token("user2")).expect(201),
				EnforcementCase.of("user2 may not read /headers", "GET", "/headers")
					.bearer(token("user2"))
					.expect(403, "RBAC: access denied"),
				EnforcementCase.of("app sees the request as JWT processing left it", "GET", "/headers")
					.bearer(levelled)
					.header("x-jwt-sub", "admin")
					.expect(200)
					.seen("x-jwt-sub", "user1")
					.seen("x-jwt-lvl", "1.500000")
					.seen("x-jwt-payload", levelled.split("\\.")[1])
					.unseen("authorization"),
				EnforcementCase.of("forged output headers removed without token", "GET", "/public/headers")
					.header("x-jwt-sub", "admin")
					.header("x-jwt-payload", "forged")
					.expect(200)
					.unseen("x-jwt-sub")
					.unseen("x-jwt-payload"),
				EnforcementCase.of("forwardOriginalToken keeps the header", "GET", "/headers")
					.bearer(ecToken)
					.expect(200)
					.seen("authorization", "Bearer " + ecToken),
				EnforcementCase.of("principal is Spring's Jwt", "GET", "/whoami")
					.bearer(Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "scope", "read write")))
					.expect(200)
					.bodyContains("\"subject\":\"user1\"")
					.bodyContains("\"principal\":\"" + IDP + "/user1\""),
				EnforcementCase.of("DENY on claims without the group", "GET", "/anything/admin")
					.bearer(user1)
					.expect(403, "RBAC: access denied"),
				EnforcementCase.of("DENY on claims with the group", "GET", "/anything/admin")
					.bearer(Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "groups", List.of("dev", "admins"))))
					.expect(200),
				EnforcementCase.of("malformed token", "GET", "/public?x=1")
					.bearer("deadbeef")
					.expect(401, format)
					.challenge("Bearer realm=\"http://127.0.0.1:{port}/public?x=1\", error=\"invalid_token\""),
				EnforcementCase.of("expired", "GET", "/public")
					.bearer(Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "exp", Instant.now().minusSeconds(120))))
					.expect(401, "Jwt is expired")
					.challenge("Bearer realm=\"http://127.0.0.1:{port}/public\", error=\"invalid_token\""),
				EnforcementCase.of("not yet valid", "GET", "/public")
					.bearer(Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "nbf", Instant.now().plusSeconds(300))))
					.expect(401, "Jwt not yet valid"),
				EnforcementCase.of("unknown issuer", "GET", "/public")
					.bearer(Tokens.sign(K1, Map.of("iss", "https://other.example.com", "sub", "x")))
					.expect(401, "Jwt issuer is not configured"),
				EnforcementCase.of("another audience is 403", "GET", "/public")
					.bearer(Tokens.sign(EC, Map.of("iss", EC_IDP, "sub", "svc", "aud", "web")))
					.expect(403, "Audiences in Jwt are not allowed")
					.challenge("Bearer realm=\"http://127.0.0.1:{port}/public\", error=\"invalid_token\""),
				EnforcementCase.of("unknown kid (refused at once, refetched in the background)", "GET", "/public")
					.bearer(Tokens.sign(Tokens.rsaKey("k9"), Map.of("iss", IDP, "sub", "user1")))
					.expect(401, "Jwks doesn't have key to match kid or alg from Jwt"),
				EnforcementCase.of("forged signature", "GET", "/public")
					.bearer(Tokens.sign(Tokens.rsaKey("k1"), Map.of("iss", IDP, "sub", "user1")))
					.expect(401, "Jwt verification fails"),
				EnforcementCase.of("alg none without signature", "GET", "/public").bearer(unsigned).expect(401, format),
				EnforcementCase.of("alg none with a signature", "GET", "/public")
					.bearer(unsigned + "c2ln")
					.expect(401, "Jwt header [alg] is not supported"),
				EnforcementCase.of("HS256 signed with the RSA public key", "GET", "/public")
					.bearer(Tokens.hs256WithPublicKey(K1, Map.of("iss", IDP, "sub", "user1")))
					.expect(401),
				EnforcementCase.of("unreachable key set", "GET", "/public")
					.bearer(Tokens.sign(Tokens.rsaKey("down-1"), Map.of("iss", DOWN_IDP, "sub", "x")))
					.expect(401, "Jwt verification fails"),
				EnforcementCase.of("lower-case scheme is no token (denied)", "GET", "/headers")
					.header("Authorization", "bearer " + user1)
					.expect(403, "RBAC: access denied"),
				EnforcementCase.of("lower-case scheme is no token (public)", "GET", "/public")
					.header("Authorization", "bearer garbage")
					.expect(200),
				EnforcementCase.of("token in the query is accepted and kept", "GET", "/headers?access_token=" + user1)
					.expect(200),
				EnforcementCase.of("CORS preflight skips JWT", "OPTIONS", "/headers")
					.bearer("deadbeef")
					.header("Origin", "https://web.example.com")
					.header("Access-Control-Request-Method", "GET")
					.expect(403, "RBAC: access denied"),
				EnforcementCase.of("two tokens, one bad", "GET", "/headers?access_token=deadbeef")
					.bearer(user1)
					.expect(401, format));
	}

	/**
	 * Key sets are fetched in the background from start-up on, and a token never waits
	 * for them (as with istiod): the cases start once the application has the keys of
	 * {@link CasePolicies#IDP}.
	 */
	@BeforeEach
	void keysFetched() {
		Http http = new Http(this.port);
		String user1 = token("user1");
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> http.get("/public", Http.bearer(user1)).statusCode() == 200);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void answersAsIstioWould(EnforcementCase testCase) {
		HttpResponse<String> response = new Http(this.port).send(testCase.method, testCase.path,
				testCase.headers.toArray(String[]::new));
		assertThat(response.statusCode()).as("%s: %s", testCase.name, response.body()).isEqualTo(testCase.status);
		if (testCase.body != null) {
			assertThat(response.body()).isEqualTo(testCase.body);
			assertThat(response.headers().firstValue("content-type")).hasValue("text/plain");
		}
		for (String text : testCase.bodyContains) {
			assertThat(response.body()).contains(text);
		}
		if (testCase.status == 401 || (testCase.status == 403 && !"RBAC: access denied".equals(testCase.body))) {
			assertThat(response.headers().firstValue("www-authenticate")).isPresent();
		}
		else {
			assertThat(response.headers().firstValue("www-authenticate")).isEmpty();
		}
		if (testCase.challenge != null) {
			assertThat(response.headers().firstValue("www-authenticate"))
				.hasValue(testCase.challenge.replace("{port}", String.valueOf(this.port)));
		}
		testCase.seen
			.forEach((name, value) -> assertThat(response.body()).contains("\"" + name + "\":\"" + value + "\""));
		for (String name : testCase.unseen) {
			assertThat(response.body()).doesNotContain("\"" + name + "\":");
		}
		// stateless, as a sidecar: no request, allowed or refused, opens a session
		assertThat(response.headers().allValues("set-cookie")).as(testCase.name).isEmpty();
	}

	static String token(String subject) {
		return Tokens.sign(K1, Map.of("iss", IDP, "sub", subject));
	}

	private static JwksServer startJwks() {
		try {
			JwksServer server = new JwksServer().publish(K1);
			Runtime.getRuntime().addShutdownHook(new Thread(server::close));
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
