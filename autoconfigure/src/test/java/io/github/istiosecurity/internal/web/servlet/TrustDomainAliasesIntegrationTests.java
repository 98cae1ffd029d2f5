package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Https;
import io.github.istiosecurity.testsupport.MeshCertificates;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ex 36 over real TLS (§4.5): with {@code istio.security.trust-domain=new-td} and the
 * alias {@code old-td}, a principal {@code cluster.local/...} in a policy means the
 * mesh's trust domains, not a peer literally in {@code cluster.local};
 * {@code trustDomains} naming one of them means all of them.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet", "istio.security.trust-domain=new-td",
				"istio.security.trust-domain-aliases=old-td" })
class TrustDomainAliasesIntegrationTests {

	static final MeshCertificates MESH = MeshCertificates.authority("mesh");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("istio-trust-domain");
		MESH.server().writePem(dir, "server");
		MESH.writeCa(dir);
		Files.writeString(dir.resolve("authz.yaml"), """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: peers, namespace: foo}
				spec:
				  rules:
				  - from: [{source: {principals: ["cluster.local/ns/sleep/sa/sleep"]}}]
				    to: [{operation: {paths: ["/anything/principal"]}}]
				  - from: [{source: {trustDomains: ["old-td"]}}]
				    to: [{operation: {paths: ["/anything/trust-domain"]}}]
				""");
		registry.add("spring.ssl.bundle.pem.mesh.keystore.certificate", () -> "file:" + dir.resolve("server.pem"));
		registry.add("spring.ssl.bundle.pem.mesh.keystore.private-key", () -> "file:" + dir.resolve("server-key.pem"));
		registry.add("spring.ssl.bundle.pem.mesh.truststore.certificate", () -> "file:" + dir.resolve("mesh-ca.pem"));
		registry.add("server.ssl.bundle", () -> "mesh");
		registry.add("server.ssl.client-auth", () -> "want");
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
		registry.add("istio.security.workload.namespace", () -> "foo");
	}

	private int status(String trustDomain, String path) {
		try {
			return new Https(this.port, MESH.workload(trustDomain, "sleep", "sleep").clientContext(MESH)).status(path);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void ex36ClusterLocalInAPrincipalMeansTheMeshTrustDomainAndItsAliases() {
		assertThat(status("old-td", "/anything/principal")).isEqualTo(200);
		assertThat(status("new-td", "/anything/principal")).isEqualTo(200);
		assertThat(status("cluster.local", "/anything/principal")).isEqualTo(403);
	}

	@Test
	void aTrustDomainOfTheMeshStandsForAllOfThem() {
		assertThat(status("old-td", "/anything/trust-domain")).isEqualTo(200);
		assertThat(status("new-td", "/anything/trust-domain")).isEqualTo(200);
		assertThat(status("other-td", "/anything/trust-domain")).isEqualTo(403);
	}

}
