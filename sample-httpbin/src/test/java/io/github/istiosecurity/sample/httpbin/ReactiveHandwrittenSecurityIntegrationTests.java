package io.github.istiosecurity.sample.httpbin;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same walk-through against the hand-written variant on WebFlux
 * ({@link HandwrittenReactiveSecurityConfiguration}): the same decisions and the same
 * Spring Security responses as on the servlet stack.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
class ReactiveHandwrittenSecurityIntegrationTests extends HandwrittenSecurityIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Test
	void runsOnWebFluxWithTheHandWrittenChainOnly() {
		assertThat(this.context.getBeansOfType(SecurityWebFilterChain.class))
			.containsOnlyKeys("handwrittenSecurityWebFilterChain");
	}

}
