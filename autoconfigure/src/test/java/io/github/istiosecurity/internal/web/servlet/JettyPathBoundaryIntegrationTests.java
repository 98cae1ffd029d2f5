package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.PathBoundaryTable;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link PathBoundaryTable} against a servlet application on Jetty, with Jetty's
 * default URI compliance.
 */
class JettyPathBoundaryIntegrationTests extends PathBoundaryTable {

	JettyPathBoundaryIntegrationTests() {
		super(Container.JETTY, WebApplicationType.SERVLET, EchoApplication.class, JettyServer.class);
	}

	@Override
	protected Class<? extends WebServer> webServerType() {
		return JettyWebServer.class;
	}

	/**
	 * Jetty instead of Tomcat: the test application leaves Jetty's auto-configuration
	 * out, so the factory is declared here (Tomcat's backs off when a factory exists).
	 */
	@Configuration(proxyBeanMethods = false)
	static class JettyServer {

		@Bean
		JettyServletWebServerFactory jettyServletWebServerFactory() {
			return new JettyServletWebServerFactory();
		}

	}

}
