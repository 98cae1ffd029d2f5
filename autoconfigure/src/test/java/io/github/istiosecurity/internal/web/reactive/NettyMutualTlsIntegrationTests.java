package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.MutualTlsCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link MutualTlsCases} against a WebFlux application on Reactor Netty.
 */
@SpringBootTest(classes = { EchoApplication.class, MutualTlsCases.Registry.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class NettyMutualTlsIntegrationTests extends MutualTlsCases {

}
