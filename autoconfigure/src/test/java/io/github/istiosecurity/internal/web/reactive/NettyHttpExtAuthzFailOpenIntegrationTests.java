package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.ExtAuthzFailOpenCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The shared {@link ExtAuthzFailOpenCases} on Reactor Netty, with the provider of
 * {@code extauthz/http-fail-open.properties}.
 */
@SpringBootTest(classes = EchoApplication.class, properties = "spring.main.web-application-type=reactive",
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:extauthz/http-fail-open.properties")
class NettyHttpExtAuthzFailOpenIntegrationTests extends ExtAuthzFailOpenCases {

	@Override
	protected boolean grpc() {
		return false;
	}

}
