package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * The policies, issuers and keys of the web-layer tests (the shared case table and the
 * servlet integration tests): three issuers (an RSA key set served over HTTP, an inline
 * EC key with an audience and {@code forwardOriginalToken}, an unreachable key set), an
 * ALLOW policy per demo user, public paths and actuator health, and a DENY on claims.
 */
public final class CasePolicies {

	public static final String IDP = "https://idp.example.com";

	public static final String EC_IDP = "https://ec.example.com";

	public static final String DOWN_IDP = "https://down.example.com";

	/**
	 * The RSA key of {@link #IDP}; tests publish it on a {@link JwksServer} of their own.
	 */
	public static final RSAKey K1 = Tokens.rsaKey("k1");

	/** The EC key of {@link #EC_IDP}, inline in the policy. */
	public static final ECKey EC = Tokens.ecKey("ec1");

	private CasePolicies() {
	}

	/**
	 * Writes the policy files into a new temporary directory.
	 * @param idpJwksUri where the key set of {@link #IDP} is served
	 * @return the directory ({@code authn.yaml}, {@code authz.yaml})
	 */
	public static Path write(String idpJwksUri) {
		try {
			Path dir = Files.createTempDirectory("istio-cases");
			String ecJwks = new JWKSet(EC.toPublicJWK()).toString();
			Files.writeString(dir.resolve("authn.yaml"), """
					apiVersion: security.istio.io/v1
					kind: RequestAuthentication
					metadata: {name: jwt, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  jwtRules:
					  - issuer: "%s"
					    jwksUri: "%s"
					    outputPayloadToHeader: x-jwt-payload
					    outputClaimToHeaders:
					    - {header: x-jwt-sub, claim: sub}
					    - {header: x-jwt-lvl, claim: level}
					  - issuer: "%s"
					    jwks: '%s'
					    audiences: ["api.example.com"]
					    forwardOriginalToken: true
					  - issuer: "%s"
					    jwksUri: "%s"
					    timeout: 500ms
					""".formatted(IDP, idpJwksUri, EC_IDP, ecJwks, DOWN_IDP, JwksServer.closedPortUri()));
			Files.writeString(dir.resolve("authz.yaml"), """
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: httpbin, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  rules:
					  - from: [{source: {requestPrincipals: ["%1$s/user1"]}}]
					    to: [{operation: {methods: ["GET"]}}]
					  - from: [{source: {requestPrincipals: ["%1$s/user2"]}}]
					    to: [{operation: {paths: ["/status/*"]}}]
					  - from: [{source: {requestPrincipals: ["%2$s/*"]}}]
					  - to: [{operation: {paths: ["/public*"]}}]
					  - to: [{operation: {methods: ["GET"], paths: ["/actuator/health"]}}]
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: admins-only, namespace: foo}
					spec:
					  action: DENY
					  rules:
					  - to: [{operation: {paths: ["/anything/admin*"]}}]
					    when: [{key: "request.auth.claims[groups]", notValues: ["admins"]}]
					""".formatted(IDP, EC_IDP));
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Writes the policies of the client-address cases (X-Forwarded-For, {@code Host} and
	 * the request-target) into a new temporary directory, apart from {@link #write}'s: an
	 * ALLOW per address family of {@code remote.ip} and one for the socket peer
	 * (loopback), an ALLOW on a host, public paths, and a DENY on a host.
	 * @return the directory ({@code client-address.yaml})
	 */
	public static Path writeClientAddress() {
		try {
			Path dir = Files.createTempDirectory("istio-client-address");
			Files.writeString(dir.resolve("client-address.yaml"), """
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: client-address, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  rules:
					  - from: [{source: {remoteIpBlocks: ["203.0.113.0/24"]}}]
					    to: [{operation: {paths: ["/anything/remote"]}}]
					  - from: [{source: {remoteIpBlocks: ["::ffff:203.0.113.0/120"]}}]
					    to: [{operation: {paths: ["/anything/mapped"]}}]
					  - from: [{source: {remoteIpBlocks: ["127.0.0.1"]}}]
					    to: [{operation: {paths: ["/anything/peer"]}}]
					  - to: [{operation: {paths: ["/anything/host"], hosts: ["allowed.example", "allowed.example:*"]}}]
					  - to: [{operation: {paths: ["/public*"]}}]
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: client-address-deny, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  action: DENY
					  rules:
					  - to: [{operation: {hosts: ["denied.example", "denied.example:*"]}}]
					""");
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
