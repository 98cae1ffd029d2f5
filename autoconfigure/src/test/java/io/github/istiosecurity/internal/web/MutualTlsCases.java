package io.github.istiosecurity.internal.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.net.ssl.SSLContext;

import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.testsupport.Https;
import io.github.istiosecurity.testsupport.MeshCertificates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Peer identity over real TLS handshakes on loopback (§4.4, §4.5, the worked examples of
 * §7.3): the server terminates TLS itself with Spring Boot's PEM SSL bundle
 * ({@code server.ssl.client-auth=want}) and a mesh CA made at test time; clients present
 * SPIFFE workload certificates of that CA, no certificate, or one of another CA.
 * PeerAuthentication modes are switched by rewriting the policy files and reloading, so
 * every mode runs against the same server. Subclasses choose the server.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class MutualTlsCases {

	static final MeshCertificates MESH = MeshCertificates.authority("mesh");

	static final MeshCertificates OTHER_CA = MeshCertificates.authority("other");

	static final Path DIR = serverFiles();

	private static final String DENIED = "RBAC: access denied";

	private static final SSLContext SLEEP = workload("cluster.local", "sleep", "sleep");

	private static final SSLContext ANONYMOUS = MESH.anonymousClientContext();

	@LocalServerPort
	int port;

	@Autowired
	PolicyRuntime runtime;

	@Autowired
	MeterRegistry registry;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) {
		registry.add("spring.ssl.bundle.pem.mesh.keystore.certificate", () -> "file:" + DIR.resolve("server.pem"));
		registry.add("spring.ssl.bundle.pem.mesh.keystore.private-key", () -> "file:" + DIR.resolve("server-key.pem"));
		registry.add("spring.ssl.bundle.pem.mesh.truststore.certificate", () -> "file:" + DIR.resolve("mesh-ca.pem"));
		registry.add("server.ssl.bundle", () -> "mesh");
		registry.add("server.ssl.client-auth", () -> "want");
		registry.add("istio.security.policy-locations", () -> "file:" + DIR + "/*.yaml");
		registry.add("istio.security.workload.namespace", () -> "foo");
		registry.add("istio.security.workload.labels.app", () -> "httpbin");
		registry.add("istio.security.reload.enabled", () -> "false");
	}

	private static Path serverFiles() {
		try {
			Path dir = Files.createTempDirectory("istio-mtls");
			MESH.server().writePem(dir, "server");
			MESH.writeCa(dir);
			Files.writeString(dir.resolve("authz.yaml"), """
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: peers, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  rules:
					  - from: [{source: {principals: ["cluster.local/ns/sleep/sa/sleep"]}}]
					    to: [{operation: {paths: ["/anything/principal"]}}]
					  - from: [{source: {principals: ["cluster.local/ns/*/sa/sleep"]}}]
					    to: [{operation: {paths: ["/anything/principal-star"]}}]
					  - from: [{source: {principals: ["*"]}}]
					    to: [{operation: {paths: ["/anything/any-peer"]}}]
					  - from: [{source: {notPrincipals: ["cluster.local/ns/evil/sa/x"]}}]
					    to: [{operation: {paths: ["/anything/not-principal"]}}]
					  - from: [{source: {namespaces: ["prod-*-eu"]}}]
					    to: [{operation: {paths: ["/anything/namespaces"]}}]
					  - from: [{source: {serviceAccounts: ["sleep"]}}]
					    to: [{operation: {paths: ["/anything/service-account"]}}]
					  - from: [{source: {trustDomains: ["cluster.local"]}}]
					    to: [{operation: {paths: ["/anything/trust-domain"]}}]
					  - to: [{operation: {paths: ["/anything/source-principal"]}}]
					    when: [{key: source.principal, values: ["cluster.local/ns/sleep/sa/sleep"]}]
					  - to: [{operation: {paths: ["/anything/source-namespace"]}}]
					    when: [{key: source.namespace, values: ["sleep"]}]
					  - to: [{operation: {paths: ["/anything/foo-only", "/public", "/public/*"]}}]
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: only-foo, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  action: DENY
					  rules:
					  - from: [{source: {notNamespaces: ["foo"]}}]
					    to: [{operation: {paths: ["/anything/foo-only"]}}]
					""");
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static SSLContext workload(String trustDomain, String namespace, String serviceAccount) {
		return MESH.workload(trustDomain, namespace, serviceAccount).clientContext(MESH);
	}

	@AfterEach
	void noPeerAuthentication() throws IOException {
		if (Files.deleteIfExists(DIR.resolve("peer.yaml"))) {
			assertThat(this.runtime.reload()).isTrue();
		}
	}

	/** Writes a PeerAuthentication document (or several) and puts it in force. */
	private void peerAuthentication(String yaml) throws IOException {
		Files.writeString(DIR.resolve("peer.yaml"), yaml);
		assertThat(this.runtime.reload()).as("the PeerAuthentication is applied").isTrue();
	}

	private int status(SSLContext client, String path, String... headers) throws IOException {
		return send(client, path, headers).statusCode();
	}

	private HttpResponse<String> send(SSLContext client, String path, String... headers) throws IOException {
		return new Https(this.port, client).get(path, headers);
	}

	@Test
	void aDenialNamesThePeerInTheDecisionLog(CapturedOutput output) throws IOException {
		assertThat(status(workload("cluster.local", "bar", "intruder"), "/anything/foo-only?log")).isEqualTo(403);
		assertThat(output.toString()
			.lines()
			.filter((line) -> line
				.contains("GET /anything/foo-only denied: matched " + "DENY policy foo/only-foo rule 0")
					&& line.contains("[peer=cluster.local/ns/bar/sa/intruder]")))
			.hasSize(1);
	}

	@Test
	void ex28PrincipalExactAllowsThatPeerOnly() throws IOException {
		assertThat(status(SLEEP, "/anything/principal")).isEqualTo(200);
		assertThat(status(ANONYMOUS, "/anything/principal")).isEqualTo(403);
		HttpResponse<String> other = send(workload("cluster.local", "sleep", "other"), "/anything/principal");
		assertThat(other.statusCode()).isEqualTo(403);
		assertThat(other.body()).isEqualTo(DENIED);
	}

	@Test
	void ex29AStarInTheMiddleOfAPrincipalIsLiteral() throws IOException {
		assertThat(status(workload("cluster.local", "x", "sleep"), "/anything/principal-star")).isEqualTo(403);
	}

	@Test
	void ex30AnyPrincipalMeansAnyAuthenticatedPeer() throws IOException {
		assertThat(status(workload("cluster.local", "x", "y"), "/anything/any-peer")).isEqualTo(200);
		assertThat(status(ANONYMOUS, "/anything/any-peer")).isEqualTo(403);
	}

	@Test
	void ex31NamespacesMatchWithAWildcardAnywhere() throws IOException {
		assertThat(status(workload("cluster.local", "prod-web-eu", "app"), "/anything/namespaces")).isEqualTo(200);
		assertThat(status(workload("cluster.local", "prod-web-us", "app"), "/anything/namespaces")).isEqualTo(403);
		assertThat(status(ANONYMOUS, "/anything/namespaces")).isEqualTo(403);
	}

	@Test
	void ex32ABareServiceAccountIsInThePolicysNamespace() throws IOException {
		assertThat(status(workload("cluster.local", "foo", "sleep"), "/anything/service-account")).isEqualTo(200);
		assertThat(status(workload("cluster.local", "bar", "sleep"), "/anything/service-account")).isEqualTo(403);
	}

	@Test
	void trustDomainsMatchThePeersTrustDomain() throws IOException {
		assertThat(status(SLEEP, "/anything/trust-domain")).isEqualTo(200);
		assertThat(status(workload("other-td", "sleep", "sleep"), "/anything/trust-domain")).isEqualTo(403);
		assertThat(status(ANONYMOUS, "/anything/trust-domain")).isEqualTo(403);
	}

	@Test
	void sourcePrincipalAndSourceNamespaceConditionsReadThePeer() throws IOException {
		assertThat(status(SLEEP, "/anything/source-principal")).isEqualTo(200);
		assertThat(status(workload("cluster.local", "sleep", "other"), "/anything/source-principal")).isEqualTo(403);
		assertThat(status(ANONYMOUS, "/anything/source-principal")).isEqualTo(403);
		assertThat(status(workload("cluster.local", "sleep", "other"), "/anything/source-namespace")).isEqualTo(200);
		assertThat(status(workload("cluster.local", "bar", "sleep"), "/anything/source-namespace")).isEqualTo(403);
		assertThat(status(ANONYMOUS, "/anything/source-namespace")).isEqualTo(403);
	}

	@Test
	void ex34ADenyWithANegativeNamespaceHitsAPeerWithoutIdentity() throws IOException {
		assertThat(status(ANONYMOUS, "/anything/foo-only")).isEqualTo(403);
		assertThat(status(workload("cluster.local", "foo", "x"), "/anything/foo-only")).isEqualTo(200);
		assertThat(status(workload("cluster.local", "bar", "x"), "/anything/foo-only")).isEqualTo(403);
	}

	@Test
	void ex35AnAllowWithANegativePrincipalLetsAPeerWithoutIdentityIn() throws IOException {
		assertThat(status(ANONYMOUS, "/anything/not-principal")).isEqualTo(200);
		assertThat(status(workload("cluster.local", "evil", "x"), "/anything/not-principal")).isEqualTo(403);
	}

	@Test
	void aCertificateOfAnotherAuthorityFailsTheHandshake() {
		SSLContext foreign = OTHER_CA.workload("cluster.local", "sleep", "sleep").clientContext(MESH);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> status(foreign, "/public"));
	}

	@Test
	void permissiveAcceptsAPeerWithAndWithoutCertificate() throws IOException {
		peerAuthentication(mode("foo", "PERMISSIVE"));
		assertThat(status(ANONYMOUS, "/public")).isEqualTo(200);
		assertThat(status(SLEEP, "/public")).isEqualTo(200);
		assertThat(status(SLEEP, "/anything/principal")).isEqualTo(200);
	}

	@Test
	void ex37StrictRefusesAPeerWithoutCertificateBeforeAnyHandlerAndSaysWhy(CapturedOutput output) throws IOException {
		peerAuthentication(mode("foo", "STRICT"));
		double refusedBefore = refused();
		HttpResponse<String> anonymous = send(ANONYMOUS, "/public/strict");
		assertThat(anonymous.statusCode()).isEqualTo(400);
		assertThat(anonymous.body()).isEqualTo("Bad Request: mutual TLS is required on this port (PeerAuthentication "
				+ "STRICT) and the request has no verified client certificate");
		assertThat(refused()).isEqualTo(refusedBefore + 1);
		assertThat(output.toString().lines().filter((line) -> line.contains("GET /public/strict refused with 400")))
			.hasSize(1);
		assertThat(status(SLEEP, "/public/strict")).isEqualTo(200);
		assertThat(status(SLEEP, "/anything/principal")).isEqualTo(200);
	}

	@Test
	void disableIgnoresAPresentedCertificate() throws IOException {
		peerAuthentication(mode("foo", "DISABLE"));
		assertThat(status(SLEEP, "/anything/principal")).isEqualTo(403);
		assertThat(status(SLEEP, "/anything/not-principal")).isEqualTo(200);
		assertThat(status(ANONYMOUS, "/public")).isEqualTo(200);
	}

	@Test
	void ex38PortLevelMtlsIsChosenByTheLocalPort() throws IOException {
		peerAuthentication(mode("istio-system", "STRICT") + "---\n" + portLevel(this.port, "DISABLE"));
		assertThat(status(ANONYMOUS, "/public")).as("this port: DISABLE").isEqualTo(200);
		assertThat(status(SLEEP, "/anything/principal")).as("DISABLE: no identity").isEqualTo(403);
		peerAuthentication(mode("istio-system", "STRICT") + "---\n" + portLevel(this.port + 1, "DISABLE"));
		assertThat(status(ANONYMOUS, "/public")).as("another port: inherits STRICT").isEqualTo(400);
		assertThat(status(SLEEP, "/anything/principal")).isEqualTo(200);
	}

	private double refused() {
		Counter counter = this.registry.find("istio.security.decisions").tags("outcome", "refused").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String mode(String namespace, String mode) {
		return """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata: {name: default, namespace: %s}
				spec: {mtls: {mode: %s}}
				""".formatted(namespace, mode);
	}

	private static String portLevel(int port, String mode) {
		return """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata: {name: httpbin, namespace: foo}
				spec:
				  selector: {matchLabels: {app: httpbin}}
				  mtls: {mode: UNSET}
				  portLevelMtls:
				    "%d": {mode: %s}
				""".formatted(port, mode);
	}

	/** A meter registry, so that refusals can be counted. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Registry {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
