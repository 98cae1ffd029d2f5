package io.github.istiosecurity.idp.auth0;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.istiosecurity.idp.Http;
import io.github.istiosecurity.idp.OrdersApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.istiosecurity.idp.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tokens of Auth0-shaped tenants (real OIDC servers on loopback) against a real servlet
 * application, matched as Istio matches them: the issuer with its trailing slash,
 * {@code aud} lists, the space-separated {@code scope} string, the {@code permissions}
 * list and {@code azp}. One tenant is configured with its {@code jwksUri}, the other
 * through OpenID discovery from the issuer.
 */
@SpringBootTest(classes = OrdersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.workload.labels.app=orders" })
class Auth0IssuerTests {

	static final String ORDERS_API = "https://api.example.com/orders";

	static final String BILLING_API = "https://api.example.com/billing";

	static Auth0Tenant tenant;

	static Auth0Tenant discovered;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		tenant = new Auth0Tenant();
		discovered = new Auth0Tenant();
		Path dir = Files.createTempDirectory("istio-auth0-policies");
		Files.writeString(dir.resolve("authn.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: auth0, namespace: foo}
				spec:
				  selector: {matchLabels: {app: orders}}
				  jwtRules:
				  - issuer: "%1$s"
				    jwksUri: "%2$s"
				    audiences: ["%3$s"]
				  # No jwksUri: the keys are found from <issuer>.well-known/openid-configuration
				  - issuer: "%4$s"
				""".formatted(tenant.issuer(), tenant.jwksUri(), ORDERS_API, discovered.issuer()));
		Files.writeString(dir.resolve("authz.yaml"), """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: orders, namespace: foo}
				spec:
				  selector: {matchLabels: {app: orders}}
				  rules:
				  # scope is one space-separated string; Istio matches its words
				  - to: [{operation: {methods: ["GET"], paths: ["/orders", "/orders/*"]}}]
				    when: [{key: "request.auth.claims[scope]", values: ["read:orders"]}]
				  # permissions is a list
				  - to: [{operation: {methods: ["POST"], paths: ["/orders"]}}]
				    when: [{key: "request.auth.claims[permissions]", values: ["create:orders"]}]
				  # issuer + "/" + sub: the issuer's trailing slash makes it a double slash
				  - from: [{source: {requestPrincipals: ["%1$s/batch-client@clients"]}}]
				    to: [{operation: {paths: ["/batch/*"]}}]
				  # the application the user signed in to
				  - to: [{operation: {paths: ["/me"]}}]
				    when: [{key: "request.auth.presenter", values: ["spa-client"]}]
				  # any token of the other tenant
				  - from: [{source: {requestPrincipals: ["%2$s/*"]}}]
				    to: [{operation: {paths: ["/discovered"]}}]
				""".formatted(tenant.issuer(), discovered.issuer()));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@AfterAll
	static void stopTenants() {
		tenant.close();
		discovered.close();
	}

	/**
	 * The application fetches both tenants' key sets in the background from start-up on,
	 * and a token never waits for them (as with istiod): the cases start once it has
	 * them.
	 */
	@BeforeEach
	void keysFetched() {
		String reader = tenant.clientCredentials("batch-client", ORDERS_API, "read:orders");
		String other = discovered.clientCredentials("batch-client", ORDERS_API, "read:orders");
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> send("GET", "/orders", reader).statusCode() == 200
					&& send("GET", "/discovered", other).statusCode() == 200);
	}

	private HttpResponse<String> send(String method, String path, String token) {
		return Http.send(method, "http://127.0.0.1:" + this.port + path, bearer(token));
	}

	private static List<String> strings(JsonNode node) {
		return node.isArray() ? node.valueStream().map(JsonNode::asString).toList() : List.of(node.asString());
	}

	@Test
	void issuerHasATrailingSlashLikeAnAuth0Tenant() {
		String token = tenant.clientCredentials("batch-client", ORDERS_API, "read:orders");
		assertThat(tenant.issuer()).matches("http://localhost:\\d+/tenant/");
		assertThat(Http.claims(token).get("iss").asString()).isEqualTo(tenant.issuer());
	}

	@Test
	void requestPrincipalOfAMachineTokenHasADoubleSlash() {
		String batch = tenant.clientCredentials("batch-client", ORDERS_API, "read:orders");
		assertThat(Http.claims(batch).get("sub").asString()).isEqualTo("batch-client@clients");
		assertThat(send("POST", "/batch/run", batch).statusCode()).isEqualTo(200);
		String other = tenant.clientCredentials("other-client", ORDERS_API, "read:orders");
		assertThat(send("POST", "/batch/run", other).statusCode()).isEqualTo(403);
	}

	@Test
	void spaceSeparatedScopeIsMatchedWordByWord() {
		String reader = tenant.clientCredentials("batch-client", ORDERS_API, "read:orders write:reports");
		assertThat(Http.claims(reader).get("scope").isString()).isTrue();
		assertThat(send("GET", "/orders/1", reader).statusCode()).isEqualTo(200);
		// A longer scope that starts with the wanted one is not it: words are compared
		// whole.
		String archive = tenant.clientCredentials("batch-client", ORDERS_API, "read:orders-archive");
		assertThat(send("GET", "/orders/1", archive).statusCode()).isEqualTo(403);
	}

	@Test
	void permissionsListIsMatchedPerEntry() {
		String creator = tenant.password("u1", "spa-client", ORDERS_API, "openid profile",
				List.of("read:orders", "create:orders"));
		String readOnly = tenant.password("u2", "spa-client", ORDERS_API, "openid profile", List.of("read:orders"));
		assertThat(Http.claims(creator).get("permissions").isArray()).isTrue();
		assertThat(send("POST", "/orders", creator).statusCode()).isEqualTo(200);
		HttpResponse<String> denied = send("POST", "/orders", readOnly);
		assertThat(denied.statusCode()).isEqualTo(403);
		assertThat(denied.body()).isEqualTo("RBAC: access denied");
	}

	@Test
	void audienceListNeedsTheApiIdentifier() {
		String orders = tenant.password("u1", "spa-client", ORDERS_API, "openid read:orders", List.of());
		assertThat(strings(Http.claims(orders).get("aud"))).containsExactly(ORDERS_API, tenant.issuer() + "userinfo");
		assertThat(send("GET", "/orders", orders).statusCode()).isEqualTo(200);
		String billing = tenant.password("u1", "spa-client", BILLING_API, "openid read:orders", List.of());
		HttpResponse<String> response = send("GET", "/orders", billing);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("Audiences in Jwt are not allowed");
	}

	@Test
	void presenterIsTheAzpClaim() {
		String spa = tenant.password("u1", "spa-client", ORDERS_API, "openid", List.of());
		assertThat(Http.claims(spa).get("azp").asString()).isEqualTo("spa-client");
		assertThat(Http.claims(spa).get("sub").asString()).isEqualTo("auth0|u1");
		assertThat(send("GET", "/me", spa).statusCode()).isEqualTo(200);
		String mobile = tenant.password("u1", "mobile-app", ORDERS_API, "openid", List.of());
		assertThat(send("GET", "/me", mobile).statusCode()).isEqualTo(403);
	}

	@Test
	void keysAreFoundByOpenIdDiscoveryFromTheIssuerWithItsTrailingSlash() {
		String token = discovered.clientCredentials("batch-client", ORDERS_API, "read:orders");
		assertThat(send("GET", "/discovered", token).statusCode()).isEqualTo(200);
		// Signed by the other tenant's key: its own issuer, but not its keys.
		String forged = tenant.clientCredentials("batch-client", ORDERS_API, "read:orders");
		assertThat(send("GET", "/discovered", forged).statusCode()).isEqualTo(403);
	}

	@Test
	void tokenOfAnUnconfiguredIssuerIs401() {
		HttpResponse<String> response;
		try (Auth0Tenant stranger = new Auth0Tenant()) {
			response = send("GET", "/orders", stranger.clientCredentials("batch-client", ORDERS_API, "read:orders"));
		}
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo("Jwt issuer is not configured");
	}

}
