package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.istiosecurity.sample.testsupport.DemoMeshCertificates;
import io.github.istiosecurity.sample.testsupport.SampleJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Black-box tests of the packaged jar serving mutual TLS, configured on the command line
 * with Spring Boot's own SSL properties and the certificates of the documented command
 * ({@code demo/DemoMesh.java}), made at test time. The policies are the mtls profile's:
 * the walk-through's rules, each also requiring the peer
 * {@code cluster.local/ns/sleep/sa/sleep}. Each request is made with sleep's certificate,
 * the intruder's ({@code cluster.local/ns/other/sa/intruder}, same CA) or none.
 * Subclasses choose the stack, the SSL configuration (PEM bundle, PKCS#12 key store) and
 * the PeerAuthentication mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpbinMtlsJarCases {

	static final String MTLS_REQUIRED = "Bad Request: mutual TLS is required on this port (PeerAuthentication STRICT)"
			+ " and the request has no verified client certificate";

	final DemoMeshCertificates mesh = DemoMeshCertificates.generated();

	SampleJar httpbin;

	private Map<String, HttpClient> clients;

	/**
	 * The arguments that select the stack
	 * ({@code --spring.main.web-application-type=...}), or none.
	 */
	abstract String[] stackArguments();

	/**
	 * Spring Boot's SSL properties that make the server ask clients for a certificate.
	 */
	abstract String[] sslArguments();

	/**
	 * Whether a PeerAuthentication makes the workload STRICT; PERMISSIVE (none at all) if
	 * not.
	 */
	abstract boolean strict();

	/** Spring Boot's PEM SSL bundle {@code mesh} and {@code server.ssl.bundle}. */
	String[] pemBundle() {
		return new String[] { "--server.ssl.enabled=true", "--server.ssl.client-auth=want", "--server.ssl.bundle=mesh",
				"--spring.ssl.bundle.pem.mesh.keystore.certificate=file:" + this.mesh.file("httpbin.pem"),
				"--spring.ssl.bundle.pem.mesh.keystore.private-key=file:" + this.mesh.file("httpbin-key.pem"),
				"--spring.ssl.bundle.pem.mesh.truststore.certificate=file:" + this.mesh.file("ca.pem") };
	}

	/**
	 * A PKCS#12 key store and trust store through {@code server.ssl.key-store*} and
	 * {@code trust-store*}.
	 */
	String[] pkcs12KeyStore() {
		return new String[] { "--server.ssl.enabled=true", "--server.ssl.client-auth=want",
				"--server.ssl.key-store=file:" + this.mesh.file("httpbin.p12"), "--server.ssl.key-store-type=PKCS12",
				"--server.ssl.key-store-password=" + DemoMeshCertificates.PASSWORD,
				"--server.ssl.trust-store=file:" + this.mesh.file("truststore.p12"),
				"--server.ssl.trust-store-type=PKCS12",
				"--server.ssl.trust-store-password=" + DemoMeshCertificates.PASSWORD };
	}

	@BeforeAll
	void start() throws IOException {
		Path policies = Files.createTempDirectory("httpbin-mtls-policies");
		Files.copy(Path.of("src/main/resources/istio/httpbin-jwt.yaml"), policies.resolve("httpbin-jwt.yaml"));
		Files.copy(Path.of("src/main/resources/istio-mtls/httpbin-authz.yaml"), policies.resolve("httpbin-authz.yaml"));
		if (strict()) {
			Files.writeString(policies.resolve("httpbin-strict.yaml"), """
					apiVersion: security.istio.io/v1
					kind: PeerAuthentication
					metadata:
					  name: httpbin-strict
					  namespace: foo
					spec:
					  selector:
					    matchLabels:
					      app: httpbin
					  mtls:
					    mode: STRICT
					""");
		}
		String[] ssl = sslArguments();
		String[] stack = stackArguments();
		String[] arguments = new String[3 + ssl.length + stack.length];
		arguments[0] = "--istio.security.policy-locations=file:" + policies + "/*.yaml";
		arguments[1] = "--istio.security.workload.namespace=foo";
		arguments[2] = "--istio.security.workload.labels.app=httpbin";
		System.arraycopy(ssl, 0, arguments, 3, ssl.length);
		System.arraycopy(stack, 0, arguments, 3 + ssl.length, stack.length);
		this.httpbin = SampleJar.start("httpbin-mtls-" + getClass().getSimpleName(), SampleJar.jar("httpbin.jar"),
				this.mesh.client("sleep"), arguments);
		this.clients = Map.of("sleep", SampleJar.client(this.mesh.client("sleep")), "intruder",
				SampleJar.client(this.mesh.client("intruder")), "none", SampleJar.client(this.mesh.anonymousClient()));
	}

	@AfterAll
	void stop() {
		if (this.httpbin != null) {
			this.httpbin.close();
		}
	}

	/**
	 * The peer's identity and the caller's token together: sleep's certificate lets the
	 * walk-through's rules decide as without mTLS; the intruder's matches no rule (403
	 * whatever the token); no certificate is 403 under PERMISSIVE (the ALLOW policy finds
	 * no principal) and 400 under STRICT, before the token is even looked at.
	 */
	@ParameterizedTest(name = "{0} certificate, {1} {2} with {3} -> PERMISSIVE {4}, STRICT {5}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			sleep    | GET    | /headers    | user1.jwt   | 200 | 200
			sleep    | POST   | /post       | user1.jwt   | 403 | 403
			sleep    | DELETE | /status/418 | user2.jwt   | 418 | 418
			sleep    | GET    | /headers    | -           | 403 | 403
			sleep    | GET    | /headers    | expired.jwt | 401 | 401
			intruder | GET    | /headers    | user1.jwt   | 403 | 403
			intruder | DELETE | /status/418 | user2.jwt   | 403 | 403
			none     | GET    | /headers    | user1.jwt   | 403 | 400
			none     | GET    | /headers    | -           | 403 | 400
			none     | GET    | /headers    | expired.jwt | 401 | 400
			""")
	void thePeersCertificateAndTheTokenDecideTogether(String peer, String method, String path, String token,
			int permissive, int strict) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.httpbin.url() + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + Files.readString(Path.of("demo/tokens", token)).trim());
		}
		HttpResponse<String> response = this.clients.get(peer)
			.send(request.build(), HttpResponse.BodyHandlers.ofString());
		int expected = strict() ? strict : permissive;
		assertThat(response.statusCode()).as("%s %s %s: %s", peer, method, path, response.body()).isEqualTo(expected);
		if (expected == 403) {
			assertThat(response.body()).isEqualTo("RBAC: access denied");
		}
		else if (expected == 400) {
			assertThat(response.body()).isEqualTo(MTLS_REQUIRED);
		}
	}

}
