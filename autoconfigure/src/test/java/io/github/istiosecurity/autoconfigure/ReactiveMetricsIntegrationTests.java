package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The {@link MetricsIntegrationTests} against a WebFlux (Netty) application.
 */
@SpringBootTest(classes = { EchoApplication.class, MetricsIntegrationTests.Registry.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "spring.main.web-application-type=reactive" })
class ReactiveMetricsIntegrationTests extends MetricsIntegrationTests {

}
