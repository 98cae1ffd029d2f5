package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.CasePolicies;
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

import static io.github.istiosecurity.testsupport.CasePolicies.DOWN_IDP;
import static io.github.istiosecurity.testsupport.CasePolicies.EC;
import static io.github.istiosecurity.testsupport.CasePolicies.EC_IDP;
import static io.github.istiosecurity.testsupport.CasePolicies.IDP;
import static io.github.istiosecurity.testsupport.CasePolicies.K1;
import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real servlet application on a random port, protected by policies read from files,
 * with tokens signed by real RSA and EC keys and an RSA key set served over HTTP: every
 * status path of §2.8 and §3.19, the request transformations of §2.9 as the application
 * sees them, and key rotation without restart.
 */
// The policies name an unreachable jwksUri (DOWN_IDP), which the istio health indicator
// reports as DOWN; these
// tests only ask whether the policies let /actuator/health through.
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin",
				"management.health.istio.enabled=false" })
class ServletEnforcementIntegrationTests {

	static JwksServer jwks;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		jwks = new JwksServer().publish(K1);
		Path dir = CasePolicies.write(jwks.jwksUri());
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@AfterAll
	static void stopJwks() {
		jwks.close();
	}

	/**
	 * Key sets are fetched in the background from start-up on; the tests start once those
	 * of the IdP are in.
	 */
	@BeforeEach
	void keysFetched() {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> http().get("/public", bearer(token("user1"))).statusCode() == 200);
	}

	private Http http() {
		return new Http(this.port);
	}

	private static String token(String subject) {
		return Tokens.sign(K1, Map.of("iss", IDP, "sub", subject));
	}

	@Test
	void withoutTokenAPublicPathIsAllowed() {
		assertThat(http().get("/public").statusCode()).isEqualTo(200);
	}

	@Test
	void withoutTokenOtherPathsAreDeniedByTheAllowPolicyWithEnvoysBody() {
		HttpResponse<String> response = http().get("/headers");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("RBAC: access denied");
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(response.headers().firstValue("www-authenticate")).isEmpty();
	}

	@Test
	void actuatorEndpointsAreProtectedByThePoliciesLikeAnyPath() {
		assertThat(http().get("/actuator/health").statusCode()).isEqualTo(200);
		HttpResponse<String> env = http().get("/actuator/env");
		assertThat(env.statusCode()).isEqualTo(403);
		assertThat(env.body()).isEqualTo("RBAC: access denied");
	}

	@Test
	void user1MayGetButNotPost() {
		assertThat(http().get("/anything/x", bearer(token("user1"))).statusCode()).isEqualTo(200);
		HttpResponse<String> post = http().send("POST", "/anything/x", bearer(token("user1")));
		assertThat(post.statusCode()).isEqualTo(403);
		assertThat(post.body()).isEqualTo("RBAC: access denied");
	}

	@Test
	void user2MayOnlyUseStatus() {
		assertThat(http().send("PUT", "/status/201", bearer(token("user2"))).statusCode()).isEqualTo(201);
		assertThat(http().get("/headers", bearer(token("user2"))).statusCode()).isEqualTo(403);
	}

	@Test
	void anAllowedRequestKeepsTheApplicationsErrorStatus() {
		// the error dispatch of a 404 is not decided again (Envoy decides each request
		// once)
		assertThat(http().get("/status/a/b", bearer(token("user2"))).statusCode()).isEqualTo(404);
	}

	@Test
	void theApplicationSeesTheRequestAsJwtProcessingLeftIt() {
		String token = Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "level", 1.5));
		HttpResponse<String> response = http().get("/headers", "Authorization", "Bearer " + token, "x-jwt-sub",
				"admin");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("authorization")
			.contains("\"x-jwt-sub\":\"user1\"")
			.contains("\"x-jwt-lvl\":\"1.500000\"")
			.contains("\"x-jwt-payload\":\"" + token.split("\\.")[1] + "\"")
			.doesNotContain("admin");
	}

	@Test
	void forgedOutputHeadersAreRemovedEvenWithoutToken() {
		HttpResponse<String> response = http().get("/public/headers", "x-jwt-sub", "admin", "x-jwt-payload", "forged");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain("x-jwt-sub").doesNotContain("forged");
	}

	@Test
	void forwardOriginalTokenKeepsTheHeader() {
		String token = Tokens.sign(EC, Map.of("iss", EC_IDP, "sub", "svc", "aud", List.of("api.example.com")));
		HttpResponse<String> response = http().get("/headers", bearer(token));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"authorization\":\"Bearer " + token + "\"");
	}

	@Test
	void theAuthenticatedPrincipalIsSpringsJwt() {
		HttpResponse<String> response = http().get("/whoami",
				bearer(Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "scope", "read write"))));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"subject\":\"user1\"").contains("\"issuer\":\"" + IDP + "\"");
	}

	@Test
	void denyRulesUseClaims() {
		assertThat(http().get("/anything/admin", bearer(token("user1"))).statusCode()).isEqualTo(403);
		String admin = Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "groups", List.of("dev", "admins")));
		assertThat(http().get("/anything/admin", bearer(admin)).statusCode()).isEqualTo(200);
	}

	@Test
	void aMalformedTokenIs401WithEnvoysStatusStringAndChallenge() {
		HttpResponse<String> response = http().get("/public?x=1", "Authorization", "Bearer deadbeef");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body())
			.isEqualTo("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
		assertThat(response.headers().firstValue("www-authenticate"))
			.contains("Bearer realm=\"http://127.0.0.1:" + this.port + "/public?x=1\", error=\"invalid_token\"");
	}

	@Test
	void expiredNotYetValidAndUnknownIssuerTokensAre401() {
		assertRejected(Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "exp", Instant.now().minusSeconds(120))), 401,
				"Jwt is expired");
		assertRejected(Tokens.sign(K1, Map.of("iss", IDP, "sub", "user1", "nbf", Instant.now().plusSeconds(300))), 401,
				"Jwt not yet valid");
		assertRejected(Tokens.sign(K1, Map.of("iss", "https://other.example.com", "sub", "x")), 401,
				"Jwt issuer is not configured");
	}

	@Test
	void aTokenForAnotherAudienceIs403() {
		assertRejected(Tokens.sign(EC, Map.of("iss", EC_IDP, "sub", "svc", "aud", "web")), 403,
				"Audiences in Jwt are not allowed");
	}

	@Test
	void forgedAndConfusedTokensAre401() {
		assertRejected(Tokens.sign(Tokens.rsaKey("k9"), Map.of("iss", IDP, "sub", "user1")), 401,
				"Jwks doesn't have key to match kid or alg from Jwt");
		assertRejected(Tokens.sign(Tokens.rsaKey("k1"), Map.of("iss", IDP, "sub", "user1")), 401,
				"Jwt verification fails");
		// alg none: with an empty signature part Envoy already refuses the format; with
		// any signature, the alg
		String unsigned = Tokens.unsigned(Map.of("iss", IDP, "sub", "user1"));
		assertRejected(unsigned, 401,
				"Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
		assertRejected(unsigned + "c2ln", 401, "Jwt header [alg] is not supported");
		HttpResponse<String> confused = http().get("/public",
				bearer(Tokens.hs256WithPublicKey(K1, Map.of("iss", IDP, "sub", "user1"))));
		assertThat(confused.statusCode()).isEqualTo(401);
	}

	@Test
	void anUnreachableKeySetGives401ForItsTokensAndLetsOthersThrough() {
		RSAKey key = Tokens.rsaKey("down-1");
		assertRejected(Tokens.sign(key, Map.of("iss", DOWN_IDP, "sub", "x")), 401, "Jwt verification fails");
		assertThat(http().get("/public").statusCode()).isEqualTo(200);
	}

	@Test
	void aLowerCaseSchemeIsNoTokenAtAll() {
		assertThat(http().get("/headers", "Authorization", "bearer " + token("user1")).statusCode()).isEqualTo(403);
		assertThat(http().get("/public", "Authorization", "bearer garbage").statusCode()).isEqualTo(200);
	}

	@Test
	void aRotatedKeyIsAcceptedOnceItIsPublishedWithoutRestart() {
		RSAKey k2 = Tokens.rsaKey("k2");
		String signedWithNewKey = Tokens.sign(k2, Map.of("iss", IDP, "sub", "user1"));
		jwks.publish(K1, k2);
		// As with Istio, the new key is refused until the key set is refreshed; the first
		// such token asks for
		// that refresh (at most once per 30 s), in the background.
		HttpResponse<String> first = http().get("/anything/rotated", bearer(signedWithNewKey));
		assertThat(first.statusCode()).isEqualTo(401);
		assertThat(first.body()).isEqualTo("Jwks doesn't have key to match kid or alg from Jwt");
		await().atMost(Duration.ofSeconds(40))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> http().get("/anything/rotated", bearer(signedWithNewKey)).statusCode() == 200);
		assertThat(http().get("/anything/rotated", bearer(token("user1"))).statusCode()).isEqualTo(200);
	}

	@Test
	void aTokenInTheQueryParameterIsAcceptedAndKept() {
		String token = token("user1");
		HttpResponse<String> response = http().get("/headers?access_token=" + token);
		assertThat(response.statusCode()).isEqualTo(200);
	}

	private void assertRejected(String token, int status, String body) {
		HttpResponse<String> response = http().get("/public", bearer(token));
		assertThat(response.statusCode()).as(body).isEqualTo(status);
		assertThat(response.body()).isEqualTo(body);
		assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Bearer realm=").endsWith("error=\"invalid_token\""));
	}

	static String payloadOf(String token) {
		return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
	}

}
