package io.github.istiosecurity.internal.web.reactive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.HangingServer;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import io.github.istiosecurity.testsupport.NonBlockingThreads;
import io.github.istiosecurity.testsupport.Tokens;
import io.github.istiosecurity.web.reactive.IstioReactiveAuthorizationManager;
import io.github.istiosecurity.web.reactive.IstioServerHttpSecurityConfigurer;
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
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The proof that JWT processing never blocks a Netty event loop, whatever the state of
 * the remote key sets: BlockHound is installed, and tokens come for issuers whose key set
 * is being fetched slowly, is never answered, or has just been rotated. The application's
 * chains: {@code /unsafe/**} runs the filter with {@code Schedulers.immediate()}, so
 * verification certainly runs on the event loop, and turns a
 * {@link BlockingOperationError} into {@code 500 x-blocked} ({@code /unsafe/block} shows
 * it does: it sleeps on the event loop); every other path uses the starter's configurer.
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

	/** Holds its answers until a test lets them go. */
	static final JwksServer HELD = held();

	static final JwksServer ROTATING = server();

	static final HangingServer HANGING = new HangingServer();

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
				  - {issuer: "https://held.example.com", jwksUri: "%s", timeout: 60s}
				  - {issuer: "https://rotating.example.com", jwksUri: "%s"}
				  - {issuer: "https://hanging.example.com", jwksUri: "%s"}
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: public}
				spec:
				  rules:
				  - to: [{operation: {paths: ["/public*", "/unsafe/*"]}}]
				""".formatted(HELD.jwksUri(), ROTATING.jwksUri(), HANGING.uri("/jwks.json")));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@AfterAll
	static void stop() {
		HELD.close();
		ROTATING.close();
		HANGING.close();
	}

	@Test
	void blockHoundIsInstalledAndCatchesBlockingOnReactorThreads() {
		assertThatThrownBy(() -> Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.parallel()).block()).hasCauseInstanceOf(BlockingOperationError.class);
	}

	@Test
	void theUnsafeChainReportsABlockingCallOnTheEventLoop() {
		HttpResponse<String> response = http().get("/unsafe/block");
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.headers().firstValue("x-blocked"))
			.hasValueSatisfying((blocked) -> assertThat(blocked).contains("Blocking call"));
	}

	@Test
	void aKeySetBeingFetchedDoesNotHoldTheEventLoop() {
		await().atMost(Duration.ofSeconds(30)).until(() -> HELD.jwksRequests() >= 1);
		String token = Tokens.sign(K1, Map.of("iss", "https://held.example.com", "sub", "a"));
		// The start-up fetch is under way (held by the server): refused at once, on the
		// event loop.
		for (String path : new String[] { "/unsafe/x", "/public" }) {
			HttpResponse<String> response = http().get(path, bearer(token));
			assertNotBlocked(response);
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.body()).isEqualTo("Jwt verification fails");
		}
		HELD.release();
		awaitAccepted(token);
		// the second time a verified-token cache hit
		assertThat(http().get("/public", bearer(token)).statusCode()).isEqualTo(200);
		assertThat(HELD.jwksRequests()).isEqualTo(1);
	}

	@Test
	void aRotatedKeyIsRefusedOnTheEventLoopAndRefetchedInTheBackground() {
		String before = Tokens.sign(K1, Map.of("iss", "https://rotating.example.com", "sub", "a"));
		awaitAccepted(before);
		ROTATING.hold();
		ROTATING.publish(K1, K2);
		String after = Tokens.sign(K2, Map.of("iss", "https://rotating.example.com", "sub", "a"));
		HttpResponse<String> refused = http().get("/unsafe/x", bearer(after));
		assertNotBlocked(refused);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).isEqualTo("Jwks doesn't have key to match kid or alg from Jwt");
		await().atMost(Duration.ofSeconds(10)).until(() -> ROTATING.jwksRequests() == 2);
		ROTATING.release();
		awaitAccepted(after);
		assertThat(http().get("/unsafe/x", bearer(before)).statusCode()).isEqualTo(200);
	}

	@Test
	void aKeySetThatNeverComesDoesNotHoldTheEventLoop() {
		String token = Tokens.sign(Tokens.rsaKey("never"), Map.of("iss", "https://hanging.example.com", "sub", "a"));
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> response = http().get("/unsafe/x", bearer(token));
			assertNotBlocked(response);
			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(response.body()).isEqualTo("Jwt verification fails");
		}
		assertThat(HANGING.connections()).isBetween(1, 2);
	}

	/** Polls {@code /unsafe/x} (on the event loop) until the token is accepted. */
	private void awaitAccepted(String token) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			HttpResponse<String> response = http().get("/unsafe/x", bearer(token));
			assertNotBlocked(response);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		});
	}

	private static void assertNotBlocked(HttpResponse<String> response) {
		assertThat(response.headers().firstValue("x-blocked")).as("blocking call on the event loop").isEmpty();
	}

	private Http http() {
		return new Http(this.port);
	}

	private static JwksServer held() {
		JwksServer server = server();
		server.hold();
		return server;
	}

	private static JwksServer server() {
		try {
			return new JwksServer().publish(K1);
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
			IstioEnforcementWebFilter onTheEventLoop = new IstioEnforcementWebFilter(pipeline, Schedulers.immediate(),
					false);
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/unsafe/**"))
				.csrf((csrf) -> csrf.disable())
				.addFilterAt((exchange, chain) -> blockIfAsked(exchange.getRequest().getPath().value())
					.then(onTheEventLoop.filter(exchange, chain))
					.onErrorResume(BlockingOperationError.class, (blocked) -> {
						exchange.getResponse().setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
						exchange.getResponse().getHeaders().set("x-blocked", String.valueOf(blocked.getMessage()));
						return exchange.getResponse().setComplete();
					}), SecurityWebFiltersOrder.AUTHENTICATION)
				.authorizeExchange((exchanges) -> exchanges.anyExchange().access(manager))
				.build();
		}

		/** The application's answer behind {@code /unsafe/**}. */
		@Bean
		RouterFunction<ServerResponse> unsafeRoutes() {
			return RouterFunctions.route(RequestPredicates.path("/unsafe/**"),
					(request) -> ServerResponse.ok().build());
		}

		/**
		 * {@code /unsafe/block} sleeps on the event loop, which BlockHound must catch.
		 */
		private static Mono<Void> blockIfAsked(String path) {
			return Mono.fromRunnable(() -> {
				if (path.equals("/unsafe/block")) {
					try {
						Thread.sleep(1);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			});
		}

		@Bean
		@Order(1)
		SecurityWebFilterChain everythingElse(ServerHttpSecurity http, IstioServerHttpSecurityConfigurer istio) {
			return istio.configure(http.csrf((csrf) -> csrf.disable())).build();
		}

	}

}
