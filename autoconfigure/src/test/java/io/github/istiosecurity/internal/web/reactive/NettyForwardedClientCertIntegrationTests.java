package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.ForwardedClientCertCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link ForwardedClientCertCases} on Reactor Netty, with the header enabled
 * and loopback a trusted proxy.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "istio.security.forwarded-client-cert.enabled=true",
				"istio.security.forwarded-client-cert.trusted-proxies=127.0.0.1" })
class NettyForwardedClientCertIntegrationTests extends ForwardedClientCertCases {

	@Override
	protected boolean believed() {
		return true;
	}

}
