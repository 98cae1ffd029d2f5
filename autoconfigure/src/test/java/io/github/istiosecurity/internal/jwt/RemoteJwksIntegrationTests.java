package io.github.istiosecurity.internal.jwt;

import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.JwksServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.K1;
import static io.github.istiosecurity.internal.jwt.TestTokens.NOW;
import static io.github.istiosecurity.internal.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * §2.10 against a real JWKS endpoint over HTTP: background fetching (a token never waits
 * for it), key rotation, rate-limited refetches, OpenID discovery, failures (D16, Ex 50)
 * and the fetch timeout.
 */
class RemoteJwksIntegrationTests extends JwtTestSupport {

	private static final RSAKey K2 = TestTokens.rsa("k2");

	private JwksServer server;

	private JwksServer server(String jwks) throws Exception {
		this.server = new JwksServer(jwks);
		return this.server;
	}

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	private static String tokenK2() {
		return TestTokens.sign(K2, JWSAlgorithm.RS256, "k2", TestTokens.claims());
	}

	/**
	 * Polls (the requests themselves ask for the fetch) until the token passes; a bounded
	 * wait.
	 */
	private static void awaitAuthenticated(JwtAuthenticator authenticator, String token) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> authenticator.authenticate(FakeTokenRequest.bearer(token))
				.status() == JwtOutcome.Status.AUTHENTICATED);
	}

	@Test
	void tokenIsVerifiedWithKeysFetchedFromTheJwksUri() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		// Nothing fetched yet: refused at once (istiod's fail-closed set), and the fetch
		// starts in the background.
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
			.isRejectedWith("Jwt verification fails");
		awaitAuthenticated(authenticator, token());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("sub", "bob")))).isAuthenticated();
		assertThat(server.jwksRequests()).isEqualTo(1);
	}

	@Test
	void rotatedKeyIsPickedUpByTheNextRequestAfterTheBackgroundRefetch() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		TestRule rule = TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri());
		this.keys.warmUp(List.of(rule.build()));
		JwtAuthenticator authenticator = authenticator(rule);
		awaitAuthenticated(authenticator, token());
		server.publish(TestTokens.jwks(K1, K2));
		// Istio's default mode: a token signed with a brand-new key is refused until the
		// keys are refreshed.
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenK2())))
			.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
		await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() == 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.keys.forRule(rule.build()).known().set().size() == 2);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenK2()))).isAuthenticated();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
		assertThat(server.jwksRequests()).isEqualTo(2);
	}

	@Test
	void unknownKidsAreAKidMismatchAtOnceAndCostOneRefetchPerRateLimitInterval() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		TestRule rule = TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri());
		this.keys.warmUp(List.of(rule.build()));
		JwtAuthenticator authenticator = authenticator(rule);
		awaitAuthenticated(authenticator, token());
		assertThat(server.jwksRequests()).isEqualTo(1);
		String unknownKid = TestTokens.sign(K1, JWSAlgorithm.RS256, "k9", TestTokens.claims());
		for (int i = 0; i < 5; i++) {
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(unknownKid)))
				.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() == 2);
		for (int i = 0; i < 5; i++) {
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(unknownKid)))
				.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
		}
		// The refetch is over and the next one is 30 s away: no further request reaches
		// the server.
		Thread.sleep(300);
		assertThat(server.jwksRequests()).isEqualTo(2);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
	}

	@Test
	void unreachableJwksFailsClosedOnlyForTokens() throws Exception {
		// Ex 50 / D16
		JwtAuthenticator authenticator = authenticator(
				TestRule.issuer(TestTokens.ISSUER).jwksUri(JwksServer.closedPortUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
			.isRejectedWith("Jwt verification fails");
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("exp", NOW.getEpochSecond() - 3600))))
			.isRejectedWith("Jwt is expired");
		assertThat(authenticator.authenticate(FakeTokenRequest.get())).isUnauthenticated();
		for (int i = 0; i < 3; i++) {
			Thread.sleep(100);
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
				.isRejectedWith("Jwt verification fails");
		}
	}

	@Test
	void serverErrorAndInvalidJsonFailVerificationAndRecoverWhenFixed() throws Exception {
		// A short refresh interval: retries after 50 ms (doubling), token-requested
		// fetches every 500 ms.
		useSettings(new JwtSettings(Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(5), this.clock));
		JwksServer server = server("not json");
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
			.isRejectedWith("Jwt verification fails");
		await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() >= 1);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
			.isRejectedWith("Jwt verification fails");
		server.publish(TestTokens.jwks(K1));
		awaitAuthenticated(authenticator, token());
	}

	@Test
	void http500FailsVerification() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		server.status(500);
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
			.isRejectedWith("Jwt verification fails");
		await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() >= 1);
		Thread.sleep(100);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
			.isRejectedWith("Jwt verification fails");
	}

	@Test
	void slowJwksServerNeverDelaysATokenAndTheRuleTimeoutEndsTheFetch() throws Exception {
		useSettings(new JwtSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(5), this.clock));
		JwksServer server = server(TestTokens.jwks(K1));
		server.delay(Duration.ofSeconds(30));
		JwtAuthenticator authenticator = authenticator(
				TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()).timeout(Duration.ofMillis(300)));
		assertAnsweredAtOnce(authenticator);
		// The 30 s fetch is given up after 300 ms and retried (100 ms later): had it run
		// on, nothing would pass
		// for 30 s.
		server.delay(Duration.ZERO);
		await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() >= 2);
		awaitAuthenticated(authenticator, token());
	}

	@Test
	void settingsFetchTimeoutAppliesToRulesWithTheDefaultTimeout() throws Exception {
		useSettings(new JwtSettings(Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofMillis(300), this.clock));
		JwksServer server = server(TestTokens.jwks(K1));
		server.delay(Duration.ofSeconds(30));
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		assertAnsweredAtOnce(authenticator);
		server.delay(Duration.ZERO);
		await().atMost(Duration.ofSeconds(10)).until(() -> server.jwksRequests() >= 2);
		awaitAuthenticated(authenticator, token());
	}

	/** While the fetch hangs, tokens are refused at once. */
	private void assertAnsweredAtOnce(JwtAuthenticator authenticator) {
		long start = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
				.isRejectedWith("Jwt verification fails");
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.jwksRequests() >= 1);
	}

	@Test
	void openIdDiscoveryFindsTheKeysOfARuleWithoutJwks() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		String issuer = server.issuer() + "/";
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(issuer));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("iss", issuer))))
			.isRejectedWith("Jwt verification fails");
		awaitAuthenticated(authenticator, token("iss", issuer));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("iss", issuer))))
			.isAuthenticatedAs(issuer + "/alice");
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("iss", issuer, "sub", "bob"))))
			.isAuthenticated();
		assertThat(server.discoveryRequests()).isEqualTo(1);
		assertThat(server.jwksRequests()).isEqualTo(1);
	}

	@Test
	void warmUpFetchesInTheBackgroundAndNeverBlocks() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		server.delay(Duration.ofMillis(500));
		TestRule rule = TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri());
		long start = System.nanoTime();
		this.keys.warmUp(List.of(rule.build(), TestRule.issuer("x").jwksUri(JwksServer.closedPortUri()).build(),
				TestRule.ra1().build()));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.keys.forRule(rule.build()).known() != null);
		server.delay(Duration.ZERO);
		assertThat(authenticator(rule).authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
		assertThat(server.jwksRequests()).isEqualTo(1);
	}

	@Test
	void closedKeySourcesFailClosed() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		this.keys.close();
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
			.isRejectedWith("Jwt verification fails");
	}

}
