package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.PathBoundaryTable;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * The {@link PathBoundaryTable} against a servlet application on Tomcat, with Tomcat's
 * default connector settings.
 */
class TomcatPathBoundaryIntegrationTests extends PathBoundaryTable {

	TomcatPathBoundaryIntegrationTests() {
		super(Container.TOMCAT, WebApplicationType.SERVLET, EchoApplication.class);
	}

	@Override
	protected Class<? extends WebServer> webServerType() {
		return TomcatWebServer.class;
	}

}
