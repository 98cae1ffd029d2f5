package io.github.istiosecurity.idp.keycloak;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.idp.Http;
import tools.jackson.databind.JsonNode;

/**
 * A running Keycloak with the test realms imported, wherever it runs (a local process or
 * a container), and what the tests do with it over its public and admin REST APIs.
 */
public interface KeycloakServer {

	/** The realm of the application's users and clients. */
	String SHOP = "shop";

	/** Another realm, so another issuer, with a client of the same id. */
	String OTHER = "other";

	/** A realm whose signing key the rotation test replaces. */
	String ROTATING = "rotating";

	/**
	 * The realms imported from {@code src/test/resources/keycloak/<realm>-realm.json}.
	 */
	List<String> REALMS = List.of(SHOP, OTHER, ROTATING);

	/**
	 * Returns the base URL, without a trailing slash, e.g. {@code http://127.0.0.1:8080}.
	 * @return the base URL
	 */
	String baseUrl();

	/**
	 * Returns the user name of the bootstrap administrator of the master realm.
	 * @return the user name
	 */
	String adminUsername();

	/**
	 * Returns the password of the bootstrap administrator.
	 * @return the password
	 */
	String adminPassword();

	/**
	 * Returns the issuer of a realm's tokens ({@code iss}).
	 * @param realm the realm
	 * @return the issuer
	 */
	default String issuer(String realm) {
		return baseUrl() + "/realms/" + realm;
	}

	/**
	 * Returns a realm's JWKS endpoint, as a {@code jwksUri} of a
	 * {@code RequestAuthentication}.
	 * @param realm the realm
	 * @return the certs endpoint
	 */
	default String certsUri(String realm) {
		return issuer(realm) + "/protocol/openid-connect/certs";
	}

	/**
	 * Obtains an access token with the client-credentials grant.
	 * @param realm the realm
	 * @param clientId the confidential client
	 * @param secret its secret
	 * @return the access token
	 */
	default String clientCredentials(String realm, String clientId, String secret) {
		return token(realm, Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
	}

	/**
	 * Obtains an access token with the resource-owner password grant.
	 * @param realm the realm
	 * @param clientId the public client
	 * @param username the user
	 * @param password the user's password
	 * @return the access token
	 */
	default String password(String realm, String clientId, String username, String password) {
		return token(realm, Map.of("grant_type", "password", "client_id", clientId, "username", username, "password",
				password, "scope", "openid"));
	}

	/**
	 * Returns the key ids a realm's JWKS endpoint lists for signatures.
	 * @param realm the realm
	 * @return the {@code kid}s of the {@code use: sig} keys
	 */
	default List<String> signingKeyIds(String realm) {
		HttpResponse<String> response = Http.get(certsUri(realm));
		List<String> kids = new ArrayList<>();
		for (JsonNode key : Http.json(response.body()).get("keys")) {
			if ("sig".equals(key.path("use").asString())) {
				kids.add(key.get("kid").asString());
			}
		}
		return kids;
	}

	/**
	 * Rotates a realm's RSA signing key through the admin REST API, as an operator would:
	 * adds a new active {@code rsa-generated} key provider with a higher priority, then
	 * disables the providers that were there before, so that their keys leave the JWKS.
	 * @param realm the realm
	 */
	default void rotateSigningKey(String realm) {
		String[] admin = Http.bearer(adminToken());
		String admins = baseUrl() + "/admin/realms/" + realm;
		String realmId = Http.json(ok(Http.get(admins, admin)).body()).get("id").asString();
		String providers = admins + "/components?type=org.keycloak.keys.KeyProvider";
		List<JsonNode> previous = new ArrayList<>();
		for (JsonNode component : Http.json(ok(Http.get(providers, admin)).body())) {
			if ("rsa-generated".equals(component.path("providerId").asString())) {
				previous.add(component);
			}
		}
		Map<String, Object> rotated = new LinkedHashMap<>();
		rotated.put("name", "rsa-rotated");
		rotated.put("providerId", "rsa-generated");
		rotated.put("providerType", "org.keycloak.keys.KeyProvider");
		rotated.put("parentId", realmId);
		rotated.put("config", Map.of("priority", List.of("200"), "enabled", List.of("true"), "active", List.of("true"),
				"keySize", List.of("2048"), "algorithm", List.of("RS256")));
		ok(Http.sendJson("POST", admins + "/components", rotated, admin));
		for (JsonNode component : previous) {
			Map<String, Object> disabled = Http.JSON.convertValue(component, Map.class);
			@SuppressWarnings("unchecked")
			Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) disabled.get("config"));
			config.put("enabled", List.of("false"));
			config.put("active", List.of("false"));
			disabled.put("config", config);
			ok(Http.sendJson("PUT", admins + "/components/" + component.get("id").asString(), disabled, admin));
		}
	}

	/**
	 * Obtains an access token of the bootstrap administrator from the master realm.
	 * @return the token
	 */
	default String adminToken() {
		return token("master", Map.of("grant_type", "password", "client_id", "admin-cli", "username", adminUsername(),
				"password", adminPassword()));
	}

	private String token(String realm, Map<String, String> form) {
		HttpResponse<String> response = ok(Http.postForm(issuer(realm) + "/protocol/openid-connect/token", form));
		return Http.json(response.body()).get("access_token").asString();
	}

	private static HttpResponse<String> ok(HttpResponse<String> response) {
		if (response.statusCode() / 100 != 2) {
			throw new IllegalStateException("Keycloak answered " + response.statusCode() + " to "
					+ response.request().method() + " " + response.request().uri() + ": " + response.body());
		}
		return response;
	}

}
