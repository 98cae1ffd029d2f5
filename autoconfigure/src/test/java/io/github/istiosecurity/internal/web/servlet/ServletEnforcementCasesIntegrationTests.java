package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.EnforcementCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link EnforcementCases} against a servlet (Tomcat) application.
 */
// The policies name an unreachable jwksUri (DOWN_IDP), which the istio health indicator
// reports as DOWN; these
// tests only ask whether the policies let /actuator/health through.
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet", "management.health.istio.enabled=false" })
class ServletEnforcementCasesIntegrationTests extends EnforcementCases {

}
