package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;

import io.github.istiosecurity.internal.web.ForwardedClientCertCases;
import io.github.istiosecurity.testsupport.EchoApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared {@link ForwardedClientCertCases} on Tomcat by default (the header is not
 * read) and without TLS client authentication: the header is ignored, and a change to
 * STRICT, which this server cannot enforce, is refused while the last good policies stay
 * in force.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=servlet")
class TomcatForwardedClientCertDisabledIntegrationTests extends ForwardedClientCertCases {

	@Override
	protected boolean believed() {
		return false;
	}

	@Test
	void aReloadToStrictIsRefusedAndTheLastGoodPoliciesStay(CapturedOutput output) throws IOException {
		long generation = this.runtime.current().generation();
		assertThat(peerAuthentication("STRICT")).isFalse();
		assertThat(this.runtime.current().generation()).isEqualTo(generation);
		assertThat(this.runtime.rejectedChange()).isNotNull();
		assertThat(this.runtime.rejectedChange().problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.message()).startsWith("PeerAuthentication foo/default (file:")
				.contains("requires mutual TLS (STRICT) on this workload, but this server does not ask TLS clients "
						+ "for a certificate, so every request would be refused"));
		assertThat(output).contains("Policy change rejected; the last good policies (generation " + generation
				+ ") stay in force: PeerAuthentication foo/default");
		assertThat(http().get("/public").statusCode()).isEqualTo(200);
	}

	@Test
	void aReloadToPermissiveIsAppliedWithAWarning(CapturedOutput output) throws IOException {
		assertThat(peerAuthentication("PERMISSIVE")).isTrue();
		assertThat(output).contains("PeerAuthentication foo/default (file:")
			.contains("asks for mutual TLS (PERMISSIVE) on this workload, but this server does not ask TLS clients for "
					+ "a certificate: no request has a peer identity");
		assertThat(http().get("/public").statusCode()).isEqualTo(200);
	}

}
