package io.github.istiosecurity.internal.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.testsupport.HangingServer;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import io.github.istiosecurity.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostile key-set host must not be able to starve the server (issue 13): a
 * {@code jwksUri} that accepts connections and never answers, and hundreds of concurrent
 * tokens of that issuer with {@code kid}s nobody knows. Every one is refused at once, the
 * hanging host sees at most one fetch at a time, and the tokens of other issuers (inline
 * keys, a working {@code jwksUri}) keep passing without delay. Subclasses choose the
 * stack ({@code spring.main.web-application-type}).
 */
public abstract class HangingJwksCases {

	static final String HANGING_IDP = "https://hanging.example.com";

	static final String WORKING_IDP = "https://working.example.com";

	static final String INLINE_IDP = "https://inline.example.com";

	static final RSAKey WORKING_KEY = Tokens.rsaKey("working-1");

	static final RSAKey INLINE_KEY = Tokens.rsaKey("inline-1");

	/** One of each server for the JVM, as the policies are written once. */
	static final HangingServer HANGING = started(new HangingServer());

	static final JwksServer WORKING = started(jwks());

	/**
	 * Every response must come within this, as the issue asks. Fetching on the request
	 * thread held each for the 30 s fetch timeout of the hanging rule; answered at once,
	 * the whole batch takes well under a second on two idle cores, and single answers
	 * have been seen just over a second when the cores are shared with other builds:
	 * three seconds still tells "at once" from "after the 30 s fetch timeout" by a factor
	 * of ten.
	 */
	static final Duration AT_ONCE = Duration.ofSeconds(3);

	@LocalServerPort
	int port;

	@Autowired
	JwksKeySources keySources;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("istio-hanging");
		Files.writeString(dir.resolve("policies.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - {issuer: "%s", jwksUri: "%s", timeout: 30s}
				  - {issuer: "%s", jwksUri: "%s"}
				  - {issuer: "%s", jwks: '%s'}
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: public}
				spec:
				  rules:
				  - to: [{operation: {paths: ["/public*"]}}]
				""".formatted(HANGING_IDP, HANGING.uri("/jwks.json"), WORKING_IDP, WORKING.jwksUri(), INLINE_IDP,
				new JWKSet(INLINE_KEY.toPublicJWK())));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@BeforeEach
	void workingKeysFetched() {
		Http http = new Http(this.port);
		String token = Tokens.sign(WORKING_KEY, Map.of("iss", WORKING_IDP, "sub", "ready"));
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> http.get("/public", Http.bearer(token)).statusCode() == 200);
	}

	@Test
	void hundredsOfTokensOfAHangingJwksUriAreRefusedAtOnceAndOtherIssuersAreNotDelayed() throws Exception {
		List<String> hanging = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			hanging.add(Tokens.sign(Tokens.rsaKey("unknown-" + i), Map.of("iss", HANGING_IDP, "sub", "x" + i)));
		}
		String workingUnknownKid = Tokens.sign(Tokens.rsaKey("unknown-w"), Map.of("iss", WORKING_IDP, "sub", "w"));
		String inlineValid = Tokens.sign(INLINE_KEY, Map.of("iss", INLINE_IDP, "sub", "inline"));
		String workingValid = Tokens.sign(WORKING_KEY, Map.of("iss", WORKING_IDP, "sub", "working"));
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		int hangingBefore = HANGING.connections();
		int workingBefore = WORKING.jwksRequests();
		// A first batch, not timed, warms the JIT, the server's thread pool and the
		// client's connections.
		CompletableFuture.allOf(batch(client, hanging, workingUnknownKid).toArray(CompletableFuture[]::new))
			.get(60, TimeUnit.SECONDS);

		long start = System.nanoTime();
		List<CompletableFuture<Answer>> batch = batch(client, hanging, workingUnknownKid);
		CompletableFuture<Void> all = CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new));
		// Meanwhile, other issuers' valid tokens, one after the other.
		List<Answer> others = new ArrayList<>();
		while (!all.isDone() || others.size() < 6) {
			others.add(send(client, (others.size() % 2 == 0) ? inlineValid : workingValid).get(30, TimeUnit.SECONDS));
		}
		all.get(30, TimeUnit.SECONDS);
		Duration wall = Duration.ofNanos(System.nanoTime() - start);

		for (int i = 0; i < batch.size(); i++) {
			Answer answer = batch.get(i).join();
			assertThat(answer.status()).as("request %d: %s", i, answer.body()).isEqualTo(401);
			assertThat(answer.body()).isEqualTo(
					(i % 10 == 9) ? "Jwks doesn't have key to match kid or alg from Jwt" : "Jwt verification fails");
			assertThat(answer.took()).as("request %d", i).isLessThan(AT_ONCE);
		}
		assertThat(wall).as("the whole batch").isLessThan(AT_ONCE);
		for (Answer answer : others) {
			assertThat(answer.status()).as(answer.body()).isEqualTo(200);
			assertThat(answer.took()).isLessThan(AT_ONCE);
		}
		// Coalesced and rate-limited: at most one fetch (the warm-up's, or one a token
		// asked for) per key set.
		assertThat(HANGING.connections() - hangingBefore).isLessThanOrEqualTo(1);
		assertThat(WORKING.jwksRequests() - workingBefore).isLessThanOrEqualTo(1);
		assertThat(this.keySources.fetchThreads()).as("fetch threads, one per remote key set at most")
			.isLessThanOrEqualTo(2);
	}

	/**
	 * 300 concurrent requests: 270 tokens of the hanging issuer, 30 unknown kids of the
	 * working one.
	 */
	private List<CompletableFuture<Answer>> batch(HttpClient client, List<String> hanging, String workingUnknownKid) {
		List<CompletableFuture<Answer>> batch = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			batch.add(send(client, (i % 10 == 9) ? workingUnknownKid : hanging.get(i % 10)));
		}
		return batch;
	}

	private CompletableFuture<Answer> send(HttpClient client, String token) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/public"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		long start = System.nanoTime();
		return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> new Answer(response.statusCode(), response.body(),
					Duration.ofNanos(System.nanoTime() - start)));
	}

	private static JwksServer jwks() {
		try {
			return new JwksServer().publish(WORKING_KEY);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static <T extends AutoCloseable> T started(T server) {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.close();
			}
			catch (Exception ex) {
				// The JVM is ending anyway.
			}
		}));
		return server;
	}

	/** A response and how long it took from sending. */
	record Answer(int status, String body, Duration took) {
	}

}
