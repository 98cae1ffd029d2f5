package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.istiosecurity.internal.runtime.UnenforceableMtlsException;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Https;
import io.github.istiosecurity.testsupport.MeshCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PeerAuthentication against the server's own TLS configuration at start-up (§4.4):
 * STRICT on a server that never asks TLS clients for a certificate stops start-up with a
 * failure analysis (fail closed: it would refuse every request); PERMISSIVE asked for on
 * such a server is a WARN; STRICT on a server configured through
 * {@code server.ssl.key-store*} (PKCS#12) with client authentication starts and is
 * enforced.
 */
@ExtendWith(OutputCaptureExtension.class)
class MtlsStartupTests {

	@TempDir
	Path dir;

	private SpringApplicationBuilder application(String mode, String... properties) throws IOException {
		Files.writeString(this.dir.resolve("peer.yaml"), """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata: {name: default, namespace: foo}
				spec: {mtls: {mode: %s}}
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: sleep, namespace: foo}
				spec:
				  rules: [{from: [{source: {principals: ["cluster.local/ns/sleep/sa/sleep"]}}]}]
				""".formatted(mode));
		return new SpringApplicationBuilder(EchoApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", "istio.security.reload.enabled=false",
					"istio.security.workload.namespace=foo",
					"istio.security.policy-locations=file:" + this.dir + "/*.yaml")
			.properties(properties);
	}

	@Test
	void strictWithoutTlsClientAuthenticationStopsStartUpAndSaysWhatToConfigure(CapturedOutput output)
			throws IOException {
		SpringApplicationBuilder application = application("STRICT");
		assertThatThrownBy(application::run).hasRootCauseInstanceOf(UnenforceableMtlsException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("PeerAuthentication foo/default (file:" + this.dir.resolve("peer.yaml") + ":1) requires mutual "
					+ "TLS (STRICT) on this workload, but this server does not ask TLS clients for a certificate, so "
					+ "every request would be refused")
			.contains("Configure TLS client authentication for the server")
			.contains("'server.ssl.client-auth=want'");
	}

	@Test
	void strictWithServerTlsButNoClientAuthenticationStopsStartUp() throws IOException {
		MeshCertificates mesh = MeshCertificates.authority("mesh");
		Path keyStore = mesh.server().writePkcs12(this.dir.resolve("server.p12"), "secret");
		SpringApplicationBuilder application = application("STRICT", "server.ssl.key-store=file:" + keyStore,
				"server.ssl.key-store-password=secret", "server.ssl.key-store-type=PKCS12");
		assertThatThrownBy(application::run).hasRootCauseInstanceOf(UnenforceableMtlsException.class);
	}

	@Test
	void permissiveWithoutTlsClientAuthenticationIsAWarning(CapturedOutput output) throws IOException {
		try (ConfigurableApplicationContext context = application("PERMISSIVE").run()) {
			assertThat(context.isRunning()).isTrue();
			assertThat(output).containsOnlyOnce("PeerAuthentication foo/default (file:" + this.dir.resolve("peer.yaml")
					+ ":1) asks for mutual TLS (PERMISSIVE) on this workload, but "
					+ "this server does not ask TLS clients for a certificate: no request has a peer identity");
		}
	}

	@Test
	void strictOnAPkcs12KeyStoreWithClientAuthenticationStartsAndIsEnforced(CapturedOutput output) throws IOException {
		MeshCertificates mesh = MeshCertificates.authority("mesh");
		Path keyStore = mesh.server().writePkcs12(this.dir.resolve("server.p12"), "secret");
		Path trustStore = mesh.writeTrustStore(this.dir.resolve("mesh-ca.p12"), "changeit");
		SpringApplicationBuilder application = application("STRICT", "server.ssl.key-store=file:" + keyStore,
				"server.ssl.key-store-password=secret", "server.ssl.key-store-type=PKCS12",
				"server.ssl.trust-store=file:" + trustStore, "server.ssl.trust-store-password=changeit",
				"server.ssl.trust-store-type=PKCS12", "server.ssl.client-auth=want");
		try (ConfigurableApplicationContext context = application.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			Https sleep = new Https(port, mesh.workload("cluster.local", "sleep", "sleep").clientContext(mesh));
			Https other = new Https(port, mesh.workload("cluster.local", "sleep", "other").clientContext(mesh));
			Https anonymous = new Https(port, mesh.anonymousClientContext());
			assertThat(sleep.status("/headers")).isEqualTo(200);
			assertThat(other.status("/headers")).isEqualTo(403);
			assertThat(anonymous.status("/headers")).isEqualTo(400);
			assertThat(output).doesNotContain("asks for mutual TLS");
		}
	}

}
