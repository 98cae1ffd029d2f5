package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.GrpcExtAuthzLiveCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The shared {@link GrpcExtAuthzLiveCases} on Tomcat, with the provider of
 * {@code extauthz/grpc.properties}.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:extauthz/grpc.properties")
class TomcatGrpcExtAuthzIntegrationTests extends GrpcExtAuthzLiveCases {

}
