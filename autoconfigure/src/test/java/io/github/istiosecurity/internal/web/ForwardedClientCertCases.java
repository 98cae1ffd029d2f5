package io.github.istiosecurity.internal.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.testsupport.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peer identity from {@code X-Forwarded-Client-Cert}, as a proxy that terminated mutual
 * TLS (a sidecar or gateway on loopback, talking plaintext to the application) forwards
 * it: believed only when enabled and only from a trusted proxy address, otherwise ignored
 * and never an identity. Subclasses choose the server and whether the header is believed
 * ({@code istio.security.forwarded-client-cert.*}).
 */
public abstract class ForwardedClientCertCases {

	static final Path DIR = policies();

	private static final String XFCC = "X-Forwarded-Client-Cert";

	private static final String SLEEP = "By=spiffe://cluster.local/ns/foo/sa/httpbin;Hash=9ba61d6425303443;"
			+ "Subject=\"\";URI=spiffe://cluster.local/ns/sleep/sa/sleep";

	@LocalServerPort
	int port;

	@Autowired
	protected PolicyRuntime runtime;

	@DynamicPropertySource
	static void policyLocations(DynamicPropertyRegistry registry) {
		registry.add("istio.security.policy-locations", () -> "file:" + DIR + "/*.yaml");
		registry.add("istio.security.workload.namespace", () -> "foo");
		registry.add("istio.security.workload.labels.app", () -> "httpbin");
		registry.add("istio.security.reload.enabled", () -> "false");
	}

	private static Path policies() {
		try {
			Path dir = Files.createTempDirectory("istio-xfcc");
			Files.writeString(dir.resolve("authz.yaml"), """
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: peers, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  rules:
					  - from: [{source: {principals: ["cluster.local/ns/sleep/sa/sleep"]}}]
					    to: [{operation: {paths: ["/anything/principal"]}}]
					  - from: [{source: {notPrincipals: ["*"]}}]
					    to: [{operation: {paths: ["/anything/anonymous"]}}]
					  - to: [{operation: {paths: ["/public", "/public/*"]}}]
					""");
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether the server believes the header from this test's address (loopback).
	 * @return whether the header is enabled and loopback trusted
	 */
	protected abstract boolean believed();

	protected Http http() {
		return new Http(this.port);
	}

	@AfterEach
	void noPeerAuthentication() throws IOException {
		if (Files.deleteIfExists(DIR.resolve("peer.yaml"))) {
			this.runtime.reload();
		}
	}

	/**
	 * Writes a PeerAuthentication with the given mode for the workload's namespace and
	 * reloads.
	 * @param mode the mode
	 * @return whether the change was applied
	 * @throws IOException if the file cannot be written
	 */
	protected boolean peerAuthentication(String mode) throws IOException {
		Files.writeString(DIR.resolve("peer.yaml"), """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata: {name: default, namespace: foo}
				spec: {mtls: {mode: %s}}
				""".formatted(mode));
		return this.runtime.reload();
	}

	@Test
	void theForwardedIdentityIsThePeerOnlyWhenBelieved() {
		assertThat(http().get("/anything/principal", XFCC, SLEEP).statusCode()).isEqualTo(believed() ? 200 : 403);
		assertThat(http().get("/anything/anonymous", XFCC, SLEEP).statusCode()).isEqualTo(believed() ? 403 : 200);
	}

	@Test
	void withoutTheHeaderThereIsNoPeerIdentity() {
		assertThat(http().get("/anything/principal").statusCode()).isEqualTo(403);
		assertThat(http().get("/anything/anonymous").statusCode()).isEqualTo(200);
	}

	@Test
	void onlyTheLastElementTheNearestProxyAppendedCounts() {
		String forged = "URI=spiffe://cluster.local/ns/sleep/sa/sleep,By=spiffe://gw;URI=spiffe://cluster.local/ns/x/sa/y";
		assertThat(http().get("/anything/principal", XFCC, forged).statusCode()).isEqualTo(403);
	}

}
