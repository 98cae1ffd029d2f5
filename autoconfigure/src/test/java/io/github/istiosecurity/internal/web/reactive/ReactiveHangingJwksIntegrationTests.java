package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.HangingJwksCases;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.NonBlockingThreads;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The {@link HangingJwksCases} against a WebFlux (Netty) application, with BlockHound
 * installed: no event loop waits for a key set (nothing is moved to another scheduler any
 * more), and a blocking call on one would fail the request.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class ReactiveHangingJwksIntegrationTests extends HangingJwksCases {

	static {
		NonBlockingThreads.install();
	}

}
