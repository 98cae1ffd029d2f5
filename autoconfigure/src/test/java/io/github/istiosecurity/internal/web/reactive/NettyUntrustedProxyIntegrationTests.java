package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.ForwardedClientCertCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link ForwardedClientCertCases} on Reactor Netty with the header enabled,
 * but from a peer (loopback) that is not a trusted proxy: the header is ignored.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "istio.security.forwarded-client-cert.enabled=true",
				"istio.security.forwarded-client-cert.trusted-proxies=192.0.2.0/24" })
class NettyUntrustedProxyIntegrationTests extends ForwardedClientCertCases {

	@Override
	protected boolean believed() {
		return false;
	}

}
