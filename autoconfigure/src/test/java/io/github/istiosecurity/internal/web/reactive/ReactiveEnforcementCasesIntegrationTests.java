package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.EnforcementCases;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.NonBlockingThreads;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link EnforcementCases} against a WebFlux (Netty) application, with
 * BlockHound installed: a blocking call on an event-loop thread fails the request (and
 * the case).
 */
// The policies name an unreachable jwksUri (DOWN_IDP), which the istio health indicator
// reports as DOWN; these
// tests only ask whether the policies let /actuator/health through.
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "management.health.istio.enabled=false" })
class ReactiveEnforcementCasesIntegrationTests extends EnforcementCases {

	static {
		NonBlockingThreads.install();
	}

}
