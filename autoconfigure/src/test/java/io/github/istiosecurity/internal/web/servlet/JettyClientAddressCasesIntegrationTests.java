package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.ClientAddressCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The shared {@link ClientAddressCases} against a servlet application on Jetty, chosen by
 * declaring its server factory ({@link EchoApplication} keeps Jetty's auto-configurations
 * out, so every other test stays on Tomcat or Netty).
 */
@SpringBootTest(classes = { EchoApplication.class, JettyClientAddressCasesIntegrationTests.JettyServer.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=servlet")
class JettyClientAddressCasesIntegrationTests extends ClientAddressCases {

	@Override
	protected Container container() {
		return Container.JETTY;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class JettyServer {

		@Bean
		JettyServletWebServerFactory jettyServletWebServerFactory() {
			return new JettyServletWebServerFactory();
		}

	}

}
