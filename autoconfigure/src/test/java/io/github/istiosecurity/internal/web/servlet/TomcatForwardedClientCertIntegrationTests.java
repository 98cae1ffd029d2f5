package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;

import io.github.istiosecurity.internal.web.ForwardedClientCertCases;
import io.github.istiosecurity.testsupport.EchoApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared {@link ForwardedClientCertCases} on Tomcat, with the header enabled and
 * loopback a trusted proxy: the forwarded identity counts, and STRICT accepts a request
 * that a trusted proxy vouches for.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet", "istio.security.forwarded-client-cert.enabled=true",
				"istio.security.forwarded-client-cert.trusted-proxies=10.0.0.0/8,127.0.0.1" })
class TomcatForwardedClientCertIntegrationTests extends ForwardedClientCertCases {

	@Override
	protected boolean believed() {
		return true;
	}

	@Test
	void strictAcceptsARequestATrustedProxyForwardsAnIdentityFor() throws IOException {
		assertThat(peerAuthentication("STRICT")).as("a server that reads forwarded identities can enforce STRICT")
			.isTrue();
		assertThat(
				http().get("/public", "X-Forwarded-Client-Cert", "URI=spiffe://cluster.local/ns/x/sa/y").statusCode())
			.isEqualTo(200);
		assertThat(http().get("/public").statusCode()).isEqualTo(400);
		assertThat(http().get("/public", "X-Forwarded-Client-Cert", "Hash=ab").statusCode()).isEqualTo(400);
	}

}
