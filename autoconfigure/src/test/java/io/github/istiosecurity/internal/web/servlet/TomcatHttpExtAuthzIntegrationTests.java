package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.HttpExtAuthzLiveCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * The shared {@link HttpExtAuthzLiveCases} on Tomcat, with the provider of
 * {@code extauthz/http.properties}.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:extauthz/http.properties")
class TomcatHttpExtAuthzIntegrationTests extends HttpExtAuthzLiveCases {

}
