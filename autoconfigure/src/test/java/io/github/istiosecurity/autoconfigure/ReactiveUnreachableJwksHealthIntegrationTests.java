package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The {@link UnreachableJwksHealthIntegrationTests} against a WebFlux (Netty)
 * application.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.jwt.jwks-refresh-interval=1s",
				"management.endpoint.health.show-details=always", "spring.main.web-application-type=reactive" })
class ReactiveUnreachableJwksHealthIntegrationTests extends UnreachableJwksHealthIntegrationTests {

}
