package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision log (logger {@code io.github.istiosecurity.decision}): one INFO line per
 * denial, JWT rejection, AUDIT match and dry-run result, naming the request principal and
 * the request id, never a token or a claim.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DecisionLogIntegrationTests {

	static final RSAKey KEY = Tokens.rsaKey("log-1");

	static final String IDP = "https://idp.example.com";

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("istio-decision-log");
		Files.writeString(dir.resolve("policies.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - issuer: "%s"
				    jwks: '%s'
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: alice-only}
				spec:
				  rules:
				  - from: [{source: {requestPrincipals: ["%s/alice"]}}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: audit-reports}
				spec:
				  action: AUDIT
				  rules: [{to: [{operation: {paths: ["/anything/reports"]}}]}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata:
				  name: deny-drafts
				  annotations: {istio.io/dry-run: "true"}
				spec:
				  action: DENY
				  rules: [{to: [{operation: {paths: ["/anything/drafts"]}}]}]
				""".formatted(IDP, new JWKSet(KEY.toPublicJWK()), IDP));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@Test
	void aDenialNamesThePrincipalAndTheRequestIdButNeverTheToken(CapturedOutput output) {
		String bob = Tokens.sign(KEY, Map.of("iss", IDP, "sub", "bob", "groups", "secret-group"));
		assertThat(http().get("/anything/x", "Authorization", "Bearer " + bob, "X-Request-Id", "req-42").statusCode())
			.isEqualTo(403);
		assertThat(output)
			.containsPattern("GET /anything/x denied: 1 ALLOW policy applies to this workload and no rule "
					+ "of them matched.* \\[principal=https://idp.example.com/bob, request-id=req-42]");
		assertThat(output).doesNotContain(bob).doesNotContain(bob.split("\\.")[1]).doesNotContain("secret-group");
	}

	@Test
	void aRejectedTokenIsOneLineWithTheRequestId(CapturedOutput output) {
		String expired = Tokens.sign(KEY, Map.of("iss", IDP, "sub", "alice", "exp", 1_000_000));
		assertThat(
				http().get("/anything/x", "Authorization", "Bearer " + expired, "X-Request-Id", "req-43").statusCode())
			.isEqualTo(401);
		assertThat(output)
			.contains("GET /anything/x rejected by JWT authentication: Jwt is expired [request-id=req-43]");
		assertThat(output).doesNotContain(expired);
	}

	@Test
	void anAllowedRequestThatNoDryRunPolicyWouldDenyIsNotAnInfoLine(CapturedOutput output) {
		String alice = Tokens.sign(KEY, Map.of("iss", IDP, "sub", "alice"));
		assertThat(http().get("/anything/plain", "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);
		assertThat(output).doesNotContain("/anything/plain");
	}

	@Test
	void anAuditMatchAndADryRunResultAreLoggedWithoutEnforcing(CapturedOutput output) {
		String alice = Tokens.sign(KEY, Map.of("iss", IDP, "sub", "alice"));
		assertThat(http().get("/anything/reports", "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);
		assertThat(output).containsPattern("audit: GET /anything/reports allowed: .*audit-reports.*"
				+ "\\[principal=https://idp.example.com/alice]");
		assertThat(http().get("/anything/drafts", "Authorization", "Bearer " + alice).statusCode()).isEqualTo(200);
		assertThat(output).containsPattern("dry-run: GET /anything/drafts allowed: .*dry-run DENY would deny.*"
				+ "deny-drafts.*\\[principal=https://idp.example.com/alice]");
	}

	private Http http() {
		return new Http(this.port);
	}

}
