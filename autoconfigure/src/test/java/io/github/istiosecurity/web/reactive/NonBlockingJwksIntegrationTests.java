package io.github.istiosecurity.web.reactive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import io.github.istiosecurity.testsupport.NonBlockingThreads;
import io.github.istiosecurity.testsupport.Tokens;
import io.github.istiosecurity.web.InboundPipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The proof that JWT processing never blocks a Netty event loop: BlockHound is installed, and the key sets
 * are not available at start-up (the background warm-up gets 503), so the first token of each issuer makes the
 * request fetch the set (served slowly, 200 ms); a fetch on an event-loop thread would throw
 * {@link BlockingOperationError}. The application's chains, in {@link IstioServerHttpSecurityConfigurer}
 * style: {@code /unsafe/**} runs the same filter with {@code Schedulers.immediate()} (no offloading) and turns a
 * {@code BlockingOperationError} into {@code 500 x-blocked}, showing that BlockHound does catch the very same
 * fetch when it happens on the event loop; every other path uses the starter's configurer.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
@Import(NonBlockingJwksIntegrationTests.Chains.class)
class NonBlockingJwksIntegrationTests {

	static {
		NonBlockingThreads.install();
	}

	static final RSAKey K1 = Tokens.rsaKey("slow-1");

	static final RSAKey K2 = Tokens.rsaKey("slow-2");

	static final JwksServer SAFE = slow();

	static final JwksServer UNSAFE = slow();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("istio-slow");
		Files.writeString(dir.resolve("policies.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - {issuer: "https://safe.example.com", jwksUri: "%s"}
				  - {issuer: "https://unsafe.example.com", jwksUri: "%s"}
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: public}
				spec:
				  rules:
				  - to: [{operation: {paths: ["/public*", "/unsafe/*"]}}]
				""".formatted(SAFE.jwksUri(), UNSAFE.jwksUri()));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@AfterAll
	static void stop() {
		SAFE.close();
		UNSAFE.close();
	}

	@Test
	void blockHoundIsInstalledAndCatchesBlockingOnReactorThreads() {
		assertThatThrownBy(() -> Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.parallel()).block()).hasCauseInstanceOf(BlockingOperationError.class);
	}

	@Test
	void aSlowKeySetIsFetchedOffTheEventLoop() {
		afterFailedWarmUp(SAFE);
		String token = Tokens.sign(K1, Map.of("iss", "https://safe.example.com", "sub", "a"));
		HttpResponse<String> response = http().get("/public", bearer(token));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(SAFE.jwksRequests()).isPositive();
		// the second time a verified-token cache hit: no offloading needed, still no blocking
		assertThat(http().get("/public", bearer(token)).statusCode()).isEqualTo(200);
	}

	@Test
	void anUnknownKidRefetchesOffTheEventLoop() {
		afterFailedWarmUp(SAFE);
		String token = Tokens.sign(Tokens.rsaKey("rotated-away"), Map.of("iss", "https://safe.example.com", "sub", "a"));
		HttpResponse<String> response = http().get("/public", bearer(token));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo("Jwks doesn't have key to match kid or alg from Jwt");
	}

	@Test
	void theSameFetchOnTheEventLoopIsCaughtByBlockHound() {
		afterFailedWarmUp(UNSAFE);
		String token = Tokens.sign(K2, Map.of("iss", "https://unsafe.example.com", "sub", "a"));
		HttpResponse<String> response = http().get("/unsafe/x", bearer(token));
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.headers().firstValue("x-blocked")).hasValueSatisfying(
				(blocked) -> assertThat(blocked).contains("Blocking call"));
	}

	/** Waits until the start-up fetch was refused, then serves the keys (slowly) to whoever asks next. */
	private static void afterFailedWarmUp(JwksServer server) {
		await().atMost(Duration.ofSeconds(30)).until(() -> server.jwksRequests() >= 1);
		server.delay(Duration.ofMillis(200));
		server.status(200);
	}

	private Http http() {
		return new Http(this.port);
	}

	private static JwksServer slow() {
		try {
			JwksServer server = new JwksServer().publish(K1, K2);
			server.status(503);
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Chains {

		@Bean
		@Order(0)
		SecurityWebFilterChain unsafe(ServerHttpSecurity http, InboundPipeline pipeline,
				IstioReactiveAuthorizationManager manager) {
			IstioEnforcementWebFilter onTheEventLoop = new IstioEnforcementWebFilter(pipeline, Schedulers.immediate());
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/unsafe/**"))
				.csrf((csrf) -> csrf.disable())
				.addFilterAt((exchange, chain) -> onTheEventLoop.filter(exchange, chain)
					.onErrorResume(BlockingOperationError.class, (blocked) -> {
						exchange.getResponse().setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
						exchange.getResponse().getHeaders().set("x-blocked", String.valueOf(blocked.getMessage()));
						return exchange.getResponse().setComplete();
					}), SecurityWebFiltersOrder.AUTHENTICATION)
				.authorizeExchange((exchanges) -> exchanges.anyExchange().access(manager))
				.build();
		}

		@Bean
		@Order(1)
		SecurityWebFilterChain everythingElse(ServerHttpSecurity http, IstioServerHttpSecurityConfigurer istio) {
			return istio.configure(http.csrf((csrf) -> csrf.disable())).build();
		}

	}

}
