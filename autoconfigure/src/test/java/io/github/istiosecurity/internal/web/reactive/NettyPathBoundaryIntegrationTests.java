package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.PathBoundaryTable;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * The {@link PathBoundaryTable} against a WebFlux application on Reactor Netty.
 */
class NettyPathBoundaryIntegrationTests extends PathBoundaryTable {

	NettyPathBoundaryIntegrationTests() {
		super(Container.NETTY, WebApplicationType.REACTIVE, EchoApplication.class);
	}

	@Override
	protected Class<? extends WebServer> webServerType() {
		return NettyWebServer.class;
	}

}
