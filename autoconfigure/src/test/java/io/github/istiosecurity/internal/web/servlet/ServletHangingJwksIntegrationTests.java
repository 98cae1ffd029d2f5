package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.HangingJwksCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The {@link HangingJwksCases} against a servlet (Tomcat) application: no request thread
 * waits for a key set.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=servlet")
class ServletHangingJwksIntegrationTests extends HangingJwksCases {

}
