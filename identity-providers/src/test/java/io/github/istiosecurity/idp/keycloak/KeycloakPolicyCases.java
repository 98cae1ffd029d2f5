package io.github.istiosecurity.idp.keycloak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.istiosecurity.idp.Http;
import io.github.istiosecurity.idp.OrdersApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

import static io.github.istiosecurity.idp.Http.bearer;
import static io.github.istiosecurity.idp.keycloak.KeycloakServer.OTHER;
import static io.github.istiosecurity.idp.keycloak.KeycloakServer.ROTATING;
import static io.github.istiosecurity.idp.keycloak.KeycloakServer.SHOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Keycloak cases, whatever runs Keycloak: tokens from a real Keycloak
 * (client-credentials and password grants) against a real servlet application whose
 * {@code RequestAuthentication} points at the realm's certs endpoint. Subclasses say
 * where Keycloak runs, and register the policies with
 * {@link #policies(DynamicPropertyRegistry, KeycloakServer)} from a
 * {@code @DynamicPropertySource}.
 * <p>
 * The clock skew is 1 s instead of Envoy's 60 s only so that a one-second Keycloak token
 * is expired two seconds later.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.workload.labels.app=orders",
				"istio.security.jwt.clock-skew=1s" })
public abstract class KeycloakPolicyCases {

	static final String USER1_ID = "11111111-1111-4111-8111-111111111111";

	static final String USER2_ID = "22222222-2222-4222-8222-222222222222";

	static final String ORDERS_BACKEND_ID = "33333333-3333-4333-8333-333333333333";

	static final String RBAC_DENIED = "RBAC: access denied";

	@LocalServerPort
	int port;

	/**
	 * Returns the Keycloak the tokens come from.
	 * @return the server
	 */
	protected abstract KeycloakServer keycloak();

	/**
	 * Writes the policies a user would write for this Keycloak (see
	 * {@code docs/keycloak.md}) and points the application at them.
	 * @param registry the registry of the test's {@code @DynamicPropertySource}
	 * @param keycloak the server
	 */
	protected static void policies(DynamicPropertyRegistry registry, KeycloakServer keycloak) {
		try {
			Path dir = Files.createTempDirectory("istio-keycloak-policies");
			Files.writeString(dir.resolve("authn.yaml"), """
					apiVersion: security.istio.io/v1
					kind: RequestAuthentication
					metadata: {name: keycloak, namespace: foo}
					spec:
					  selector: {matchLabels: {app: orders}}
					  jwtRules:
					  - issuer: "%1$s"
					    jwksUri: "%2$s"
					    audiences: ["orders-api", "reporting-api"]
					  - issuer: "%3$s"
					    jwksUri: "%4$s"
					""".formatted(keycloak.issuer(SHOP), keycloak.certsUri(SHOP), keycloak.issuer(ROTATING),
					keycloak.certsUri(ROTATING)));
			Files.writeString(dir.resolve("authz.yaml"), """
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: orders, namespace: foo}
					spec:
					  selector: {matchLabels: {app: orders}}
					  rules:
					  # One user, by issuer and subject (Keycloak's sub is the user's id)
					  - from: [{source: {requestPrincipals: ["%1$s/%3$s"]}}]
					    to: [{operation: {paths: ["/profile/user1"]}}]
					  # Realm roles: a nested claim holding a list
					  - to: [{operation: {methods: ["GET"], paths: ["/orders", "/orders/*"]}}]
					    when: [{key: "request.auth.claims[realm_access][roles]", values: ["reader"]}]
					  - to: [{operation: {methods: ["POST"], paths: ["/orders"]}}]
					    when: [{key: "request.auth.claims[realm_access][roles]", values: ["writer"]}]
					  # Groups, from the group membership mapper
					  - to: [{operation: {paths: ["/invoices", "/invoices/*"]}}]
					    when: [{key: "request.auth.claims[groups]", values: ["finance"]}]
					  # The client the token was issued to (azp)
					  - to: [{operation: {paths: ["/internal/*"]}}]
					    when: [{key: "request.auth.presenter", values: ["orders-backend"]}]
					  # Tokens meant for the reporting API
					  - to: [{operation: {paths: ["/reports", "/reports/*"]}}]
					    when: [{key: "request.auth.audiences", values: ["reporting-api"]}]
					  # Any token of the realm whose key the rotation case replaces
					  - from: [{source: {requestPrincipals: ["%2$s/*"]}}]
					    to: [{operation: {paths: ["/rotating"]}}]
					""".formatted(keycloak.issuer(SHOP), keycloak.issuer(ROTATING), USER1_ID));
			registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The application fetches the realms' key sets in the background from start-up on,
	 * and a token never waits for them (as with istiod): the cases start once it has the
	 * shop realm's keys.
	 */
	@BeforeEach
	void shopKeysFetched() {
		String token = backendToken();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> get("/orders", token).statusCode() == 200);
	}

	private HttpResponse<String> send(String method, String path, String token) {
		return Http.send(method, "http://127.0.0.1:" + this.port + path, bearer(token));
	}

	private HttpResponse<String> get(String path, String token) {
		return send("GET", path, token);
	}

	private String backendToken() {
		return keycloak().clientCredentials(SHOP, "orders-backend", "orders-backend-secret");
	}

	private String userToken(String user) {
		return keycloak().password(SHOP, "orders-web", user, user + "-password");
	}

	private static List<String> strings(JsonNode node) {
		List<String> values = new ArrayList<>();
		if (node.isArray()) {
			node.forEach((value) -> values.add(value.asString()));
		}
		else if (node.isString()) {
			values.add(node.asString());
		}
		return values;
	}

	@Test
	void clientCredentialsTokenIsAuthorisedByTheServiceAccountsRealmRoles() {
		String token = backendToken();
		JsonNode claims = Http.claims(token);
		// What the policies match on, as Keycloak issues it.
		assertThat(claims.get("iss").asString()).isEqualTo(keycloak().issuer(SHOP));
		assertThat(claims.get("sub").asString()).isEqualTo(ORDERS_BACKEND_ID);
		assertThat(claims.get("azp").asString()).isEqualTo("orders-backend");
		assertThat(strings(claims.get("aud"))).contains("orders-api");
		assertThat(strings(claims.path("realm_access").path("roles"))).contains("service", "reader")
			.doesNotContain("writer");
		assertThat(get("/orders", token).statusCode()).isEqualTo(200);
		HttpResponse<String> post = send("POST", "/orders", token);
		assertThat(post.statusCode()).isEqualTo(403);
		assertThat(post.body()).isEqualTo(RBAC_DENIED);
	}

	@Test
	void passwordGrantTokensAreAuthorisedPerRealmRole() {
		String user1 = userToken("user1");
		String user2 = userToken("user2");
		assertThat(strings(Http.claims(user1).path("realm_access").path("roles"))).contains("reader", "writer");
		assertThat(get("/orders/42", user1).statusCode()).isEqualTo(200);
		assertThat(send("POST", "/orders", user1).statusCode()).isEqualTo(200);
		assertThat(get("/orders/42", user2).statusCode()).isEqualTo(200);
		assertThat(send("POST", "/orders", user2).statusCode()).isEqualTo(403);
	}

	@Test
	void requestPrincipalIsIssuerSlashSubject() {
		String user1 = userToken("user1");
		assertThat(Http.claims(user1).get("sub").asString()).isEqualTo(USER1_ID);
		assertThat(get("/profile/user1", user1).statusCode()).isEqualTo(200);
		assertThat(get("/profile/user1", userToken("user2")).statusCode()).isEqualTo(403);
		assertThat(get("/profile/user1", backendToken()).statusCode()).isEqualTo(403);
	}

	@Test
	void groupsClaimFromTheGroupMembershipMapperIsMatched() {
		String user1 = userToken("user1");
		String user2 = userToken("user2");
		assertThat(strings(Http.claims(user1).get("groups"))).containsExactly("engineering");
		assertThat(strings(Http.claims(user2).get("groups"))).containsExactly("finance");
		assertThat(get("/invoices/7", user2).statusCode()).isEqualTo(200);
		assertThat(get("/invoices/7", user1).statusCode()).isEqualTo(403);
	}

	@Test
	void presenterIsTheClientTheTokenWasIssuedTo() {
		String user1 = userToken("user1");
		assertThat(Http.claims(user1).get("azp").asString()).isEqualTo("orders-web");
		assertThat(get("/internal/jobs", backendToken()).statusCode()).isEqualTo(200);
		assertThat(get("/internal/jobs", user1).statusCode()).isEqualTo(403);
		assertThat(
				get("/internal/jobs", keycloak().clientCredentials(SHOP, "reporting", "reporting-secret")).statusCode())
			.isEqualTo(403);
	}

	@Test
	void audiencesAreCheckedByTheJwtRuleAndMatchedByThePolicy() {
		String reporting = keycloak().clientCredentials(SHOP, "reporting", "reporting-secret");
		assertThat(strings(Http.claims(reporting).get("aud"))).containsExactly("reporting-api");
		assertThat(get("/reports/daily", reporting).statusCode()).isEqualTo(200);
		assertThat(get("/reports/daily", backendToken()).statusCode()).isEqualTo(403);
		// No audience of the jwtRule's list: rejected by RequestAuthentication itself,
		// with Envoy's 403.
		String noAudience = keycloak().clientCredentials(SHOP, "no-audience", "no-audience-secret");
		assertThat(strings(Http.claims(noAudience).path("aud"))).doesNotContain("orders-api", "reporting-api");
		HttpResponse<String> response = get("/reports/daily", noAudience);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("Audiences in Jwt are not allowed");
	}

	@Test
	void withoutATokenProtectedPathsAreDenied() {
		HttpResponse<String> response = Http.get("http://127.0.0.1:" + this.port + "/orders");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo(RBAC_DENIED);
	}

	@Test
	void tokenOfAnotherRealmIsAnUnknownIssuer() {
		String token = keycloak().clientCredentials(OTHER, "orders-backend", "orders-backend-secret");
		assertThat(Http.claims(token).get("iss").asString()).isEqualTo(keycloak().issuer(OTHER));
		HttpResponse<String> response = get("/orders", token);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo("Jwt issuer is not configured");
	}

	@Test
	void expiredKeycloakTokenIsRejected() {
		// The short-lived client's tokens live 1 s; wait on the wall clock until exp plus
		// the skew has passed.
		String token = keycloak().clientCredentials(SHOP, "short-lived", "short-lived-secret");
		long exp = Http.claims(token).get("exp").asLong();
		assertThat(exp - Http.claims(token).get("iat").asLong()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Instant.now().getEpochSecond() > exp + 2);
		HttpResponse<String> response = get("/orders", token);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo("Jwt is expired");
	}

	@Test
	void keyRotatedInKeycloakIsPickedUpWithoutRestartingTheApplication() {
		String before = keycloak().clientCredentials(ROTATING, "rotating-client", "rotating-secret");
		String oldKid = Http.header(before).get("kid").asString();
		// The application knows the realm's first key (fetched in the background from
		// start-up on).
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> get("/rotating", before).statusCode() == 200);

		keycloak().rotateSigningKey(ROTATING);
		assertThat(keycloak().signingKeyIds(ROTATING)).doesNotContain(oldKid).hasSize(1);

		String after = keycloak().clientCredentials(ROTATING, "rotating-client", "rotating-secret");
		String newKid = Http.header(after).get("kid").asString();
		assertThat(newKid).isNotEqualTo(oldKid);
		assertThat(keycloak().signingKeyIds(ROTATING)).containsExactly(newKid);
		// As with Istio, the new key is refused until the key set is refreshed; the
		// unknown kid makes the
		// application refetch the certs endpoint in the background (at most once per 30
		// s), and a later request
		// is accepted.
		HttpResponse<String> refused = get("/rotating", after);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).isEqualTo("Jwks doesn't have key to match kid or alg from Jwt");
		await().atMost(Duration.ofSeconds(40))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> get("/rotating", after).statusCode() == 200);
		// The refetched set no longer has the disabled key: tokens it signed are now
		// rejected.
		HttpResponse<String> old = get("/rotating", before);
		assertThat(old.statusCode()).isEqualTo(401);
		assertThat(old.body()).isEqualTo("Jwks doesn't have key to match kid or alg from Jwt");
	}

}
