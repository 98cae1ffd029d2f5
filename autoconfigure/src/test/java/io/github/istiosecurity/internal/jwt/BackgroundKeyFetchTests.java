package io.github.istiosecurity.internal.jwt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.model.JwtRule;
import io.github.istiosecurity.testsupport.HangingServer;
import io.github.istiosecurity.testsupport.JwksServer;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.K1;
import static io.github.istiosecurity.internal.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No token ever waits for a key set (§2.10: istiod fetches, the proxy answers from what
 * it holds): the statuses of a token whose keys are not there yet, coalesced and
 * rate-limited background fetches, refresh ahead of use, outage tolerance, failure
 * backoff, and eviction stopping the refreshes.
 */
class BackgroundKeyFetchTests extends JwtTestSupport {

	private static final RSAKey K2 = TestTokens.rsa("k2");

	private static String tokenK2() {
		return TestTokens.sign(K2, JWSAlgorithm.RS256, "k2", TestTokens.claims());
	}

	private void refreshEvery(Duration interval) {
		useSettings(new JwtSettings(Duration.ofSeconds(60), interval, Duration.ofSeconds(5), this.clock));
	}

	/**
	 * Runs the task on 32 threads, {@code times} in all; returns the results and the wall
	 * time.
	 */
	private static <T> List<T> concurrently(int times, Callable<T> task) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(32);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < times; i++) {
				futures.add(pool.submit(task));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(30, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void keysNeverFetchedAreVerificationFailsAtOnceWhileOneFetchHangsInTheBackground() throws Exception {
		try (HangingServer hanging = new HangingServer()) {
			TestRule rule = TestRule.issuer(TestTokens.ISSUER)
				.jwksUri(hanging.uri("/jwks.json"))
				.timeout(Duration.ofSeconds(30));
			JwtAuthenticator authenticator = authenticator(rule);
			String token = token();
			long start = System.nanoTime();
			List<JwtOutcome> outcomes = concurrently(500,
					() -> authenticator.authenticate(FakeTokenRequest.bearer(token)));
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			outcomes.forEach((outcome) -> assertThat(outcome).isRejectedWith("Jwt verification fails"));
			// The old fetch-on-request would have held every thread for the 30 s timeout.
			assertThat(took).isLessThan(Duration.ofSeconds(2));
			await().atMost(Duration.ofSeconds(5)).until(() -> hanging.connections() == 1);
			Thread.sleep(200);
			assertThat(hanging.connections()).as("one fetch in flight, whatever the number of tokens").isEqualTo(1);
			assertThat(this.keys.fetchThreads()).isEqualTo(1);
		}
	}

	@Test
	void concurrentUnknownKidsGetAKidMismatchAtOnceAndShareOneRefetch() throws Exception {
		try (JwksServer server = new JwksServer(TestTokens.jwks(K1))) {
			TestRule rule = TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri());
			warmUp(rule);
			server.publish(TestTokens.jwks(K1, K2));
			server.delay(Duration.ofSeconds(3));
			JwtAuthenticator authenticator = authenticator(rule);
			String tokenK2 = tokenK2();
			long start = System.nanoTime();
			List<JwtOutcome> outcomes = concurrently(300,
					() -> authenticator.authenticate(FakeTokenRequest.bearer(tokenK2)));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			outcomes.forEach((outcome) -> assertThat(outcome)
				.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt"));
			// The next request after the refetch: the new key is there.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.keys.forRule(rule.build()).known().set().size() == 2);
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenK2))).isAuthenticated();
			assertThat(server.jwksRequests()).as("warm-up and one refetch").isEqualTo(2);
		}
	}

	@Test
	void theSetIsRefreshedInTheBackgroundAndServedWhileTheRefreshRuns() throws Exception {
		refreshEvery(Duration.ofMillis(500));
		try (JwksServer server = new JwksServer(TestTokens.jwks(K1))) {
			TestRule rule = TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri());
			warmUp(rule);
			JwtAuthenticator authenticator = authenticator(rule);
			server.delay(Duration.ofMillis(300));
			await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() >= 3);
			// Refreshes came and went (slowly): the keys were never missing, no token had
			// to ask for them.
			for (int i = 0; i < 20; i++) {
				assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("sub", "u" + i))))
					.isAuthenticated();
				Thread.sleep(25);
			}
			// k1 is replaced by k2: the refresh picks it up without any token asking.
			server.publish(TestTokens.jwks(K2));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.keys.forRule(rule.build()).known().set().getKeyByKeyId("k2") != null);
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenK2()))).isAuthenticated();
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("sub", "u0"))))
				.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
		}
	}

	@Test
	void failedRefreshesKeepTheLastGoodSetForSevenDays() throws Exception {
		refreshEvery(Duration.ofMillis(200));
		try (JwksServer server = new JwksServer(TestTokens.jwks(K1))) {
			TestRule rule = TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri());
			warmUp(rule);
			JwtAuthenticator authenticator = authenticator(rule);
			String noExp = token("exp", null);
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(noExp))).isAuthenticated();
			server.status(503);
			int before = server.jwksRequests();
			await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() >= before + 3);
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(noExp))).isAuthenticated();
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("exp", null, "sub", "bob"))))
				.isAuthenticated();
			this.clock.advance(Duration.ofDays(7).minusMinutes(1));
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("exp", null, "sub", "carol"))))
				.isAuthenticated();
			this.clock.advance(Duration.ofMinutes(2));
			// Not refreshed for more than 7 days: istiod would have dropped the set; fail
			// closed.
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(noExp)))
				.isRejectedWith("Jwt verification fails");
			server.status(200);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> authenticator.authenticate(FakeTokenRequest.bearer(noExp))
					.status() == JwtOutcome.Status.AUTHENTICATED);
		}
	}

	@Test
	void failedFetchesAreRetriedWithDoublingDelaysUpToTheRefreshInterval() {
		long refresh = Duration.ofMinutes(20).toNanos();
		List<Duration> delays = new ArrayList<>();
		for (int failures = 1; failures <= 8; failures++) {
			delays.add(Duration.ofNanos(KeySetFetcher.retryDelay(refresh, failures)));
		}
		// istiod: 1 min, doubling up to 60 min; here up to the refresh interval.
		assertThat(delays).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
				Duration.ofMinutes(8), Duration.ofMinutes(16), Duration.ofMinutes(20), Duration.ofMinutes(20),
				Duration.ofMinutes(20));
		long fast = Duration.ofSeconds(2).toNanos();
		assertThat(Duration.ofNanos(KeySetFetcher.retryDelay(fast, 1))).isEqualTo(Duration.ofMillis(100));
		assertThat(Duration.ofNanos(KeySetFetcher.retryDelay(fast, 1000))).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void aDeadJwksUriIsRetriedWithBackoffNotHammered() throws Exception {
		// First retry after 100 ms, then 200, 400, 800, 1600 ms, 2 s: about 5 fetches in
		// 2 s, not 20.
		refreshEvery(Duration.ofSeconds(2));
		try (JwksServer server = new JwksServer(TestTokens.jwks(K1))) {
			server.status(500);
			this.keys.warmUp(List.of(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()).build()));
			Thread.sleep(2000);
			assertThat(server.jwksRequests()).isBetween(2, 7);
		}
	}

	@Test
	void anEvictedSourceStopsRefreshing() throws Exception {
		refreshEvery(Duration.ofMillis(100));
		JwksKeySources keys = new JwksKeySources(this.settings, Duration.ZERO);
		try (JwksServer server = new JwksServer(TestTokens.jwks(K1))) {
			JwtRule rule = TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()).build();
			keys.warmUp(List.of(rule));
			await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() >= 3);
			keys.retainOnly(List.of());
			await().atMost(Duration.ofSeconds(10)).until(() -> keys.evictedAndClosed() == 1);
			int afterClose = server.jwksRequests();
			Thread.sleep(600);
			// At most a fetch already under way when it was closed.
			assertThat(server.jwksRequests()).isLessThanOrEqualTo(afterClose + 1);
		}
		finally {
			keys.close();
		}
	}

	@Test
	void closingTheKeySourcesStopsEveryRefresh() throws Exception {
		refreshEvery(Duration.ofMillis(100));
		try (JwksServer server = new JwksServer(TestTokens.jwks(K1))) {
			warmUp(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
			await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() >= 3);
			this.keys.close();
			int afterClose = server.jwksRequests();
			Thread.sleep(600);
			assertThat(server.jwksRequests()).isLessThanOrEqualTo(afterClose + 1);
		}
	}

	private void warmUp(TestRule rule) {
		this.keys.warmUp(List.of(rule.build()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.keys.forRule(rule.build()).known() != null);
	}

}
