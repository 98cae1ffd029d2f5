package io.github.istiosecurity.sample.sleep;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.istiosecurity.sample.testsupport.DemoMeshCertificates;
import io.github.istiosecurity.sample.testsupport.SampleJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sleep calls httpbin over mutual TLS, both packaged jars started with the {@code mtls}
 * profile as the README says, with the demo mesh certificates of the documented command
 * ({@code DemoMesh.java}) made at test time: httpbin asks for a client certificate and
 * requires the peer {@code cluster.local/ns/sleep/sa/sleep} beside the tokens; sleep
 * presents its certificate through Spring Boot's {@code spring.http.clients.ssl.bundle}.
 * The same sleep with the intruder's certificate gets 403 where sleep's identity was
 * required.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MtlsSamplesEndToEndIT {

	private final DemoMeshCertificates mesh = DemoMeshCertificates.generated();

	private SampleJar httpbin;

	private SampleJar sleep;

	@BeforeAll
	void start() throws IOException {
		this.httpbin = SampleJar.start("httpbin-mtls-e2e", SampleJar.jar("httpbin.jar"), this.mesh.client("sleep"),
				"--spring.profiles.active=mtls", "--demo.mesh-certs=" + this.mesh.dir());
		this.sleep = SampleJar.start("sleep-mtls-e2e", SampleJar.jar("sleep.jar"), "--spring.profiles.active=mtls",
				"--demo.mesh-certs=" + this.mesh.dir(), "--sleep.httpbin-url=" + this.httpbin.url());
	}

	@AfterAll
	void stop() {
		if (this.sleep != null) {
			this.sleep.close();
		}
		if (this.httpbin != null) {
			this.httpbin.close();
		}
	}

	@Test
	void theReplayOverMutualTlsGetsIstiosAnswerAtEveryStep() throws IOException {
		assertThat(this.httpbin.url()).startsWith("https://");
		String output = this.sleep.awaitOutput("steps as Istio answers", Duration.ofSeconds(60));
		assertThat(output).contains("Walk-through replayed against httpbin at " + this.httpbin.url())
			.contains("13 of 13 steps as Istio answers");
	}

	@ParameterizedTest(name = "{0} {1} with {2} -> {3}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			GET    | /call/headers    | user1.jwt | 200 |
			POST   | /call/post       | user1.jwt | 403 | RBAC: access denied
			DELETE | /call/status/200 | user2.jwt | 200 |
			GET    | /call/headers    | user2.jwt | 403 | RBAC: access denied
			""")
	void callsReachHttpbinWithSleepsIdentityAndTheCallersToken(String method, String path, String token, int status,
			String body) throws IOException {
		HttpResponse<String> response = this.sleep.send(method, path, "Authorization",
				"Bearer " + DemoTokens.value(token));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue(CallController.UPSTREAM_HEADER)).hasValue("httpbin");
		if (body != null) {
			assertThat(response.body()).isEqualTo(body);
		}
	}

	/**
	 * The intruder's certificate is from the same CA, so the handshake succeeds;
	 * httpbin's rules then find a peer that is not sleep: the four steps Istio answers
	 * with 200 or 418 for sleep are 403, the rest are as before.
	 */
	@Test
	void anotherWorkloadsCertificateIsRefusedWhereSleepsIdentityIsRequired() throws Exception {
		SampleJar intruder = SampleJar.launch("sleep-mtls-intruder", SampleJar.jar("sleep.jar"),
				"--spring.profiles.active=mtls", "--demo.mesh-certs=" + this.mesh.dir(),
				"--sleep.httpbin-url=" + this.httpbin.url(), "--sleep.replay.exit=true",
				"--spring.ssl.bundle.pem.mesh.keystore.certificate=file:" + this.mesh.file("intruder.pem"),
				"--spring.ssl.bundle.pem.mesh.keystore.private-key=file:" + this.mesh.file("intruder-key.pem"));
		assertThat(intruder.awaitExit(Duration.ofSeconds(90))).as(intruder.output()).isEqualTo(1);
		String output = intruder.output();
		assertThat(output).contains("9 of 13 steps as Istio answers");
		for (String step : new String[] { " 1", " 3", " 4", "12" }) {
			assertThat(output.lines().filter((line) -> line.startsWith(step + "  ")).findFirst()).as("step %s", step)
				.hasValueSatisfying((line) -> assertThat(line).contains("MISMATCH: status 403"));
		}
	}

}
