package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.MutualTlsCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The shared {@link MutualTlsCases} against a servlet application on Jetty, chosen by
 * declaring its server factory (Spring Boot applies {@code server.ssl.*} to it as to any
 * factory).
 */
@SpringBootTest(
		classes = { EchoApplication.class, MutualTlsCases.Registry.class,
				JettyMutualTlsIntegrationTests.JettyServer.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=servlet")
class JettyMutualTlsIntegrationTests extends MutualTlsCases {

	@TestConfiguration(proxyBeanMethods = false)
	static class JettyServer {

		@Bean
		JettyServletWebServerFactory jettyServletWebServerFactory() {
			return new JettyServletWebServerFactory();
		}

	}

}
