package io.github.istiosecurity.web.servlet;

import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.web.EnforcementCases;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link EnforcementCases} against a servlet (Tomcat) application.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=servlet")
class ServletEnforcementCasesIntegrationTests extends EnforcementCases {

}
