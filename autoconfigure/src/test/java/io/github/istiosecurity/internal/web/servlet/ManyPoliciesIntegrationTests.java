package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import io.github.istiosecurity.testsupport.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.istiosecurity.testsupport.CasePolicies.IDP;
import static io.github.istiosecurity.testsupport.CasePolicies.K1;
import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hundreds of policies whose only constraint is an exact request principal, header or
 * claim value (the rules the engine finds by value rather than testing one by one),
 * enforced by a real servlet application with real signed tokens: the principal, header
 * or claim of the last policy is let in, any other is denied with Envoy's body, and a
 * DENY policy among them still wins.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin" })
class ManyPoliciesIntegrationTests {

	private static final int POLICIES = 200;

	static JwksServer jwks;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		jwks = new JwksServer().publish(K1);
		Path dir = write(jwks.jwksUri());
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@AfterAll
	static void stopJwks() {
		jwks.close();
	}

	@BeforeEach
	void keysFetched() {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> http().get("/anything", bearer(token("user0"))).statusCode() == 200);
	}

	@Test
	void theLastRequestPrincipalIsAllowed() {
		assertThat(http().get("/anything", bearer(token("user" + (POLICIES - 1)))).statusCode()).isEqualTo(200);
	}

	@Test
	void anotherRequestPrincipalIsDenied() {
		assertDenied(http().get("/anything", bearer(token("user" + POLICIES))));
		assertDenied(http().get("/anything", bearer(Tokens.sign(K1, Map.of("iss", IDP)))));
	}

	@Test
	void aDenyPolicyAmongThemWins() {
		assertDenied(http().get("/anything", bearer(token("user7"))));
	}

	@Test
	void theLastHeaderValueIsAllowedWhateverTheCaseOfTheHeaderName() {
		assertThat(http().get("/anything", "x-tenant", "tenant-" + (POLICIES - 1)).statusCode()).isEqualTo(200);
		assertThat(http().get("/anything", "X-Tenant", "tenant-" + (POLICIES - 1)).statusCode()).isEqualTo(200);
	}

	@Test
	void anotherHeaderValueIsDenied() {
		assertDenied(http().get("/anything", "x-tenant", "tenant-" + POLICIES));
		assertDenied(http().get("/anything", "x-tenant", "TENANT-1"));
		assertDenied(http().get("/anything"));
	}

	@Test
	void aRepeatedHeaderIsMatchedAsItsJoinedValues() {
		// "tenant-1,tenant-2" equals neither value (§3.13)
		assertDenied(http().get("/anything", "x-tenant", "tenant-1", "x-tenant", "tenant-2"));
	}

	@Test
	void aListClaimWithTheLastGroupIsAllowed() {
		String token = Tokens.sign(K1,
				Map.of("iss", IDP, "sub", "nobody", "groups", List.of("other", "group-" + (POLICIES - 1))));
		assertThat(http().get("/anything", bearer(token)).statusCode()).isEqualTo(200);
	}

	@Test
	void aClaimWithAnotherGroupIsDenied() {
		String token = Tokens.sign(K1, Map.of("iss", IDP, "sub", "nobody", "groups", List.of("group-" + POLICIES)));
		assertDenied(http().get("/anything", bearer(token)));
	}

	private static void assertDenied(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("RBAC: access denied");
	}

	private Http http() {
		return new Http(this.port);
	}

	private static String token(String subject) {
		return Tokens.sign(K1, Map.of("iss", IDP, "sub", subject));
	}

	/**
	 * One ALLOW policy per request principal, per {@code x-tenant} value and per group,
	 * and a DENY of {@code user7}.
	 */
	private static Path write(String jwksUri) {
		StringBuilder policies = new StringBuilder("""
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt, namespace: foo}
				spec:
				  jwtRules:
				  - issuer: "%s"
				    jwksUri: "%s"
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: deny-user7, namespace: foo}
				spec:
				  action: DENY
				  rules:
				  - from: [{source: {requestPrincipals: ["%1$s/user7"]}}]
				""".formatted(IDP, jwksUri));
		for (int i = 0; i < POLICIES; i++) {
			policies.append("""
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: principal-%2$d, namespace: foo}
					spec:
					  rules:
					  - from: [{source: {requestPrincipals: ["%1$s/user%2$d"]}}]
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: tenant-%2$d, namespace: foo}
					spec:
					  rules:
					  - when: [{key: "request.headers[x-tenant]", values: ["tenant-%2$d"]}]
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: group-%2$d, namespace: foo}
					spec:
					  rules:
					  - when: [{key: "request.auth.claims[groups]", values: ["group-%2$d"]}]
					""".formatted(IDP, i));
		}
		try {
			Path dir = Files.createTempDirectory("istio-many-policies");
			Files.writeString(dir.resolve("policies.yaml"), policies);
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
