package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import io.github.istiosecurity.testsupport.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code istio} actuator endpoint over real HTTP on a servlet application (the
 * reactive subclass runs the same on WebFlux): protected by the policies like any path,
 * {@code GET /actuator/istio} describing the workload, the policies (applying or not, and
 * why), the issuers' key sets and a refused change, and
 * {@code POST /actuator/istio/check} deciding hypothetical requests with the contract's
 * fields.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin",
				"management.endpoints.web.exposure.include=health,istio", "istio.security.reload.interval=100ms" })
class IstioEndpointIntegrationTests {

	static final RSAKey KEY = Tokens.rsaKey("k1");

	static final JsonMapper JSON = JsonMapper.builder().build();

	static JwksServer jwks;

	static Path dir;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		jwks = new JwksServer().publish(KEY);
		dir = Files.createTempDirectory("istio-endpoint");
		Files.writeString(dir.resolve("authn.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt, namespace: foo}
				spec:
				  jwtRules:
				  - issuer: "%s"
				    jwksUri: "%s"
				""".formatted(jwks.issuer(), jwks.jwksUri()));
		Files.writeString(dir.resolve("authz.yaml"), authorization(""));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	/**
	 * The README's policy: operators (a claim) reach the endpoint; alice may GET; a DENY
	 * and a dry-run DENY.
	 */
	static String authorization(String extra) {
		return """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: operators, namespace: foo}
				spec:
				  selector: {matchLabels: {app: httpbin}}
				  rules:
				  - to: [{operation: {paths: ["/actuator/istio", "/actuator/istio/*"]}}]
				    when: [{key: "request.auth.claims[groups]", values: ["operators"]}]
				  - from: [{source: {requestPrincipals: ["%1$s/alice"]}}]
				    to: [{operation: {methods: ["GET"]}}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: no-admin, namespace: foo}
				spec:
				  action: DENY
				  rules:
				  - to: [{operation: {paths: ["/admin/*"]}}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata:
				  name: shadow
				  namespace: foo
				  annotations: {"istio.io/dry-run": "true"}
				spec:
				  action: DENY
				  rules:
				  - to: [{operation: {paths: ["/headers"]}}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: elsewhere, namespace: bar}
				spec: {}
				""".formatted(jwks.issuer()) + extra;
	}

	@AfterAll
	static void stop() {
		jwks.close();
	}

	private Http http() {
		return new Http(this.port);
	}

	private String operator() {
		return Tokens.sign(KEY, Map.of("iss", jwks.issuer(), "sub", "ops1", "groups", java.util.List.of("operators")));
	}

	private JsonNode check(String json) {
		HttpResponse<String> response = http().postJson("/actuator/istio/check", json, bearer(operator()));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	@Test
	void theEndpointIsProtectedByThePolicies() {
		HttpResponse<String> anonymous = http().get("/actuator/istio");
		assertThat(anonymous.statusCode()).isEqualTo(403);
		assertThat(anonymous.body()).isEqualTo("RBAC: access denied");
		String alice = Tokens.sign(KEY, Map.of("iss", jwks.issuer(), "sub", "alice"));
		assertThat(http().postJson("/actuator/istio/check", "{}", bearer(alice)).statusCode()).isEqualTo(403);
	}

	@Test
	void readDescribesWorkloadPoliciesAndKeySets() {
		String token = operator();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> JSON.readTree(http().get("/actuator/istio", bearer(token)).body())
				.path("issuers")
				.path(0)
				.path("status")
				.asString()
				.equals("ok"));
		HttpResponse<String> response = http().get("/actuator/istio", bearer(token));
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("workload").path("namespace").asString()).isEqualTo("foo");
		assertThat(body.path("workload").path("labels").path("app").asString()).isEqualTo("httpbin");
		assertThat(body.path("workload").path("rootNamespace").asString()).isEqualTo("istio-system");
		assertThat(body.path("pathNormalization").asString()).isEqualTo("BASE");
		assertThat(body.path("lastChange").path("result").asString()).isEqualTo("applied");
		assertThat(body.path("denyByDefault").asBoolean()).isTrue();
		JsonNode operators = policy(body, "foo/operators");
		assertThat(operators.path("kind").asString()).isEqualTo("AuthorizationPolicy");
		assertThat(operators.path("applies").asBoolean()).isTrue();
		assertThat(operators.path("action").asString()).isEqualTo("ALLOW");
		assertThat(operators.path("rules").asInt()).isEqualTo(2);
		assertThat(operators.path("origin").asString()).startsWith("file:").endsWith("authz.yaml:1");
		assertThat(policy(body, "foo/shadow").path("dryRun").asBoolean()).isTrue();
		JsonNode elsewhere = policy(body, "bar/elsewhere");
		assertThat(elsewhere.path("applies").asBoolean()).isFalse();
		assertThat(elsewhere.path("whyNot").asString()).contains("bar");
		assertThat(policy(body, "foo/jwt").path("kind").asString()).isEqualTo("RequestAuthentication");
		JsonNode issuer = body.path("issuers").path(0);
		assertThat(issuer.path("issuer").asString()).isEqualTo(jwks.issuer());
		assertThat(issuer.path("jwks").asString()).isEqualTo(jwks.jwksUri());
		assertThat(issuer.path("keyIds").path(0).asString()).isEqualTo("k1");
		assertThat(issuer.path("fetchedAt").asString()).isNotEmpty();
		assertThat(response.body()).doesNotContain(KEY.getModulus().toString());
	}

	@Test
	void checkNamesTheDecidingPolicyAndRule(CapturedOutput output) {
		JsonNode allowed = check("""
				{"method": "GET", "path": "/get", "principal": "%s/alice"}""".formatted(jwks.issuer()));
		assertThat(allowed.path("status").asInt()).isEqualTo(200);
		assertThat(allowed.path("allowed").asBoolean()).isTrue();
		assertThat(allowed.path("policy").asString()).isEqualTo("foo/operators");
		assertThat(allowed.path("rule").asInt()).isEqualTo(1);
		assertThat(allowed.path("action").asString()).isEqualTo("ALLOW");
		assertThat(allowed.path("reason").asString()).startsWith("allowed: matched ALLOW policy foo/operators rule 1");
		assertThat(allowed.path("evaluated").isArray()).isTrue();

		JsonNode denied = check("""
				{"method": "GET", "path": "/admin/x", "principal": "%s/alice"}""".formatted(jwks.issuer()));
		assertThat(denied.path("status").asInt()).isEqualTo(403);
		assertThat(denied.path("allowed").asBoolean()).isFalse();
		assertThat(denied.path("policy").asString()).isEqualTo("foo/no-admin");
		assertThat(denied.path("rule").asInt()).isZero();
		assertThat(denied.path("action").asString()).isEqualTo("DENY");
		JsonNode noAdmin = evaluated(denied, "foo/no-admin");
		assertThat(noAdmin.path("matched").asBoolean()).isTrue();
		assertThat(noAdmin.path("why").asString()).isEqualTo("rule 0 matched: to[0].operation (paths)");

		JsonNode byDefault = check("""
				{"method": "POST", "path": "/post", "host": "httpbin.foo", "port": 8000,
				 "headers": {"x-request-id": "r1"}, "sourceIp": "10.1.2.3",
				 "claims": {"iss": "%s", "sub": "bob", "groups": ["staff"]}}""".formatted(jwks.issuer()));
		assertThat(byDefault.path("status").asInt()).isEqualTo(403);
		assertThat(byDefault.has("policy")).isTrue();
		assertThat(byDefault.path("policy").isNull()).isTrue();
		assertThat(byDefault.path("rule").isNull()).isTrue();
		assertThat(byDefault.path("action").asString()).isEqualTo("NONE");
		assertThat(evaluated(byDefault, "foo/operators").path("why").asString()).contains(
				"no rule matched. rule 0: to[0].operation.paths [/actuator/istio, /actuator/istio/*] did not match "
						+ "path \"/post\"; when[0] request.auth.claims[groups] values [operators] did not match claim "
						+ "groups (present, value not shown). rule 1: to[0].operation.methods [GET] did not match method "
						+ "\"POST\"; from[0].source.requestPrincipals [" + jwks.issuer() + "/alice] did not match "
						+ "request principal \"" + jwks.issuer() + "/bob\".");

		JsonNode dryRun = check("""
				{"path": "/headers", "principal": "%s/alice"}""".formatted(jwks.issuer()));
		assertThat(dryRun.path("allowed").asBoolean()).isTrue();
		assertThat(dryRun.path("dryRun").path(0).asString())
			.isEqualTo("dry-run DENY policies would deny (foo/shadow rule 0)");
		assertThat(evaluated(dryRun, "foo/shadow").path("dryRun").asBoolean()).isTrue();
		assertThat(output).doesNotContain("staff");
	}

	@Test
	void checkVerifiesATokenWithoutLoggingIt(CapturedOutput output) {
		String expired = Tokens.sign(KEY,
				Map.of("iss", jwks.issuer(), "sub", "alice", "exp", Instant.now().minusSeconds(600)));
		JsonNode rejected = check("""
				{"path": "/get", "token": "%s"}""".formatted(expired));
		assertThat(rejected.path("status").asInt()).isEqualTo(401);
		assertThat(rejected.path("reason").asString())
			.isEqualTo("JWT authentication rejected the token: Jwt is expired");
		String valid = Tokens.sign(KEY, Map.of("iss", jwks.issuer(), "sub", "alice"));
		JsonNode verified = check("""
				{"path": "/get", "token": "%s"}""".formatted(valid));
		assertThat(verified.path("allowed").asBoolean()).isTrue();
		assertThat(verified.path("jwt").asString()).isEqualTo("verified");
		assertThat(verified.toString()).doesNotContain(valid);
		assertThat(output).doesNotContain(expired).doesNotContain(valid);
	}

	@Test
	void badInputAndUnknownOperationsAreRefused() {
		HttpResponse<String> bad = http().postJson("/actuator/istio/check",
				"{\"principal\": \"x/alice\", \"claims\": {\"sub\": \"bob\"}}", bearer(operator()));
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("the principal and the claim sub disagree");
		HttpResponse<String> address = http().postJson("/actuator/istio/check", "{\"sourceIp\": \"nope\"}",
				bearer(operator()));
		assertThat(address.statusCode()).isEqualTo(400);
		HttpResponse<String> unknown = http().postJson("/actuator/istio/check", "{\"principle\": \"x/alice\"}",
				bearer(operator()));
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(unknown.body()).contains("unknown field 'principle'");
		assertThat(http().postJson("/actuator/istio/check", "[1, 2]", bearer(operator())).statusCode()).isEqualTo(400);
	}

	@Test
	void aRefusedChangeIsShownWithFileLineAndField() throws IOException {
		String token = operator();
		Files.writeString(dir.resolve("authz.yaml"), authorization("""
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: broken, namespace: foo}
				spec:
				  action: ALLOW
				  rules:
				  - when: [{key: "request.nope", values: ["x"]}]
				"""));
		try {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> JSON.readTree(http().get("/actuator/istio", bearer(token)).body())
					.path("lastChange")
					.path("result")
					.asString()
					.equals("rejected"));
			JsonNode problem = JSON.readTree(http().get("/actuator/istio", bearer(token)).body())
				.path("lastChange")
				.path("problems")
				.path(0);
			assertThat(problem.path("resource").asString()).endsWith("authz.yaml");
			assertThat(problem.path("line").asInt()).isGreaterThan(40);
			assertThat(problem.path("field").asString()).isEqualTo("spec.rules[0].when[0].key");
		}
		finally {
			Files.writeString(dir.resolve("authz.yaml"), authorization(""));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> JSON.readTree(http().get("/actuator/istio", bearer(token)).body())
					.path("lastChange")
					.path("result")
					.asString()
					.equals("applied"));
		}
	}

	private static JsonNode policy(JsonNode body, String name) {
		for (JsonNode policy : body.path("policies")) {
			if (policy.path("name").asString().equals(name)) {
				return policy;
			}
		}
		throw new AssertionError("no policy " + name + " in " + body);
	}

	private static JsonNode evaluated(JsonNode result, String name) {
		for (JsonNode evaluation : result.path("evaluated")) {
			if (evaluation.path("name").asString().equals(name)) {
				assertThat(evaluation.has("matched")).isTrue();
				assertThat(evaluation.has("why")).isTrue();
				return evaluation;
			}
		}
		throw new AssertionError("no evaluation of " + name + " in " + result);
	}

}
