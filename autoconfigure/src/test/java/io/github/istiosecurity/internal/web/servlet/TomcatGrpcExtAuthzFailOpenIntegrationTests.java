package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.ExtAuthzFailOpenCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The shared {@link ExtAuthzFailOpenCases} on Tomcat, with the provider of
 * {@code extauthz/grpc-fail-open.properties}.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:extauthz/grpc-fail-open.properties")
class TomcatGrpcExtAuthzFailOpenIntegrationTests extends ExtAuthzFailOpenCases {

	@Override
	protected boolean grpc() {
		return true;
	}

}
