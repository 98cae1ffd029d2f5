package io.github.istiosecurity.idp.auth0;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import io.github.istiosecurity.idp.Http;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * A real OIDC server on loopback ({@code mock-oauth2-server}) shaped like an Auth0
 * tenant: the issuer ends with a slash ({@code https://<tenant>/} in Auth0,
 * {@code http://localhost:<port>/tenant/} here), access tokens carry {@code aud} as the
 * API identifier (a list with the userinfo audience for user tokens), {@code scope} as
 * one space-separated string, {@code permissions} as a list (Auth0's RBAC "add
 * permissions in the access token"), {@code azp}, and subjects like {@code auth0|<id>}
 * and {@code <client id>@clients}. Tokens are obtained from its token endpoint over HTTP.
 */
final class Auth0Tenant implements AutoCloseable {

	/**
	 * The server's issuer id. It cannot serve a root issuer (its endpoints are found by
	 * the path segment before them) and names its issuers without a trailing slash, so
	 * the tokens' {@code iss} is set to {@code <issuer>/} by the token callback, as an
	 * Auth0 tenant issues it. Keys and endpoints are the issuer's; only its discovery
	 * document still names the issuer without the slash, which Istio does not look at.
	 */
	private static final String ROOT = "tenant";

	private final MockOAuth2Server server = new MockOAuth2Server();

	Auth0Tenant() {
		this.server.start(InetAddress.getLoopbackAddress(), 0);
	}

	/**
	 * Returns the issuer, with its trailing slash, e.g.
	 * {@code http://localhost:41234/tenant/}.
	 * @return the issuer
	 */
	String issuer() {
		return this.server.issuerUrl(ROOT) + "/";
	}

	/**
	 * Returns the JWKS endpoint (Auth0 serves it at
	 * {@code <issuer>.well-known/jwks.json}, this server at {@code <issuer>jwks}; the
	 * discovery document names it either way).
	 * @return the JWKS URI
	 */
	String jwksUri() {
		return this.server.jwksUrl(ROOT).toString();
	}

	/**
	 * Obtains a machine-to-machine token with the client-credentials grant, as Auth0
	 * issues it for an API.
	 * @param clientId the application's client id
	 * @param audience the API identifier requested
	 * @param scope the granted scopes, space-separated
	 * @return the access token
	 */
	String clientCredentials(String clientId, String audience, String scope) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", issuer());
		claims.put("azp", clientId);
		claims.put("scope", scope);
		claims.put("gty", "client-credentials");
		this.server.enqueueCallback(new Callback(clientId + "@clients", List.of(audience), claims));
		return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret",
				clientId + "-secret", "audience", audience));
	}

	/**
	 * Obtains a user's token with the resource-owner password grant, as Auth0 issues it
	 * for an API with RBAC.
	 * @param userId the user's id (the token's subject is {@code auth0|<id>})
	 * @param clientId the application the user signs in to
	 * @param audience the API identifier requested
	 * @param scope the granted scopes, space-separated
	 * @param permissions the user's permissions on the API
	 * @return the access token
	 */
	String password(String userId, String clientId, String audience, String scope, List<String> permissions) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", issuer());
		// Auth0's subject is the user id, not the login name the password grant carries.
		claims.put("sub", "auth0|" + userId);
		claims.put("azp", clientId);
		claims.put("scope", scope);
		claims.put("permissions", permissions);
		this.server.enqueueCallback(new Callback("auth0|" + userId, List.of(audience, issuer() + "userinfo"), claims));
		return token(Map.of("grant_type", "password", "client_id", clientId, "username", userId + "@example.com",
				"password", "secret", "audience", audience, "scope", scope));
	}

	private String token(Map<String, String> form) {
		HttpResponse<String> response = Http.postForm(this.server.tokenEndpointUrl(ROOT).toString(), form);
		if (response.statusCode() != 200) {
			throw new IllegalStateException(
					"Token endpoint answered " + response.statusCode() + ": " + response.body());
		}
		return Http.json(response.body()).get("access_token").asString();
	}

	@Override
	public void close() {
		this.server.shutdown();
	}

	/**
	 * The claims of the next token the tenant issues.
	 */
	private static final class Callback implements OAuth2TokenCallback {

		private final String subject;

		private final List<String> audience;

		private final Map<String, Object> claims;

		Callback(String subject, List<String> audience, Map<String, Object> claims) {
			this.subject = subject;
			this.audience = audience;
			this.claims = claims;
		}

		@Override
		public String issuerId() {
			return ROOT;
		}

		@Override
		public String subject(TokenRequest tokenRequest) {
			return this.subject;
		}

		@Override
		public String typeHeader(TokenRequest tokenRequest) {
			return JOSEObjectType.JWT.getType();
		}

		@Override
		public List<String> audience(TokenRequest tokenRequest) {
			return this.audience;
		}

		@Override
		public Map<String, Object> addClaims(TokenRequest tokenRequest) {
			return this.claims;
		}

		@Override
		public long tokenExpiry() {
			return 3600;
		}

	}

}
