package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.ExtAuthzDownCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The shared {@link ExtAuthzDownCases} on Reactor Netty, with the provider of
 * {@code extauthz/http-down.properties}.
 */
@SpringBootTest(classes = EchoApplication.class, properties = "spring.main.web-application-type=reactive",
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:extauthz/http-down.properties")
class NettyHttpExtAuthzDownIntegrationTests extends ExtAuthzDownCases {

	@Override
	protected boolean grpc() {
		return false;
	}

}
