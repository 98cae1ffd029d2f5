package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The {@link IstioEndpointIntegrationTests} against a WebFlux (Netty) application.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin",
				"management.endpoints.web.exposure.include=health,istio", "istio.security.reload.interval=100ms",
				"spring.main.web-application-type=reactive" })
class ReactiveIstioEndpointIntegrationTests extends IstioEndpointIntegrationTests {

}
