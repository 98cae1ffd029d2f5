package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.ExtAuthzDownCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The shared {@link ExtAuthzDownCases} on Tomcat, with the provider of
 * {@code extauthz/grpc-down.properties}.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:extauthz/grpc-down.properties")
class TomcatGrpcExtAuthzDownIntegrationTests extends ExtAuthzDownCases {

	@Override
	protected boolean grpc() {
		return true;
	}

}
