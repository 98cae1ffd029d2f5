package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.internal.web.HttpExtAuthzLiveCases;
import io.github.istiosecurity.testsupport.AuthorizerCase;
import io.github.istiosecurity.testsupport.EchoApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared {@link HttpExtAuthzLiveCases} on Reactor Netty, with the provider of
 * {@code extauthz/http.properties}; and what only a non-blocking stack has to show: which
 * requests leave the event loop.
 */
@SpringBootTest(classes = EchoApplication.class, properties = "spring.main.web-application-type=reactive",
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:extauthz/http.properties")
class NettyHttpExtAuthzIntegrationTests extends HttpExtAuthzLiveCases {

	@Test
	void onlyARequestACustomRuleMatchesLeavesTheEventLoop() {
		// no CUSTOM rule matches /public/x: decided and handled on the event loop, as
		// without CUSTOM policies
		assertThat(http().get("/public/x").body()).contains("\"thread\":\"webflux-http-");
		// the check of /admin/x waits for the authorizer on boundedElastic, where the
		// chain then goes on
		assertThat(http().get("/admin/x", AuthorizerCase.HEADER, AuthorizerCase.ALLOW).body())
			.contains("\"thread\":\"boundedElastic-");
	}

}
