package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.ClientAddressCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link ClientAddressCases} against a WebFlux application on Reactor Netty.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class ReactiveClientAddressCasesIntegrationTests extends ClientAddressCases {

	@Override
	protected Container container() {
		return Container.NETTY;
	}

}
