package io.github.istiosecurity.jwt;

import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.JwksServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.jwt.TestTokens.K1;
import static io.github.istiosecurity.jwt.TestTokens.NOW;
import static io.github.istiosecurity.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * §2.10 against a real JWKS endpoint over HTTP: fetching, caching, key rotation, OpenID discovery, failures
 * (D16, Ex 50) and the fetch timeout.
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

	@Test
	void tokenIsVerifiedWithKeysFetchedFromTheJwksUri() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("sub", "bob")))).isAuthenticated();
		assertThat(server.jwksRequests()).isEqualTo(1);
	}

	@Test
	void rotatedKeyIsPickedUpWithoutRebuildingTheAuthenticator() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
		server.publish(TestTokens.jwks(K1, K2));
		// The unknown kid makes Nimbus refetch once, within its rate limit.
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenK2()))).isAuthenticated();
		assertThat(server.jwksRequests()).isEqualTo(2);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
	}

	@Test
	void unknownKidBeyondTheRateLimitIsAKidMismatchWithoutAnotherFetch() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		String unknownKid = TestTokens.sign(K1, JWSAlgorithm.RS256, "k9", TestTokens.claims());
		for (int i = 0; i < 5; i++) {
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(unknownKid)))
				.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
		}
		assertThat(server.jwksRequests()).isEqualTo(2);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
	}

	@Test
	void unreachableJwksFailsClosedOnlyForTokens() throws Exception {
		// Ex 50 / D16
		JwtAuthenticator authenticator = authenticator(
				TestRule.issuer(TestTokens.ISSUER).jwksUri(JwksServer.closedPortUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isRejectedWith("Jwt verification fails");
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("exp", NOW.getEpochSecond() - 3600))))
			.isRejectedWith("Jwt is expired");
		assertThat(authenticator.authenticate(FakeTokenRequest.get())).isUnauthenticated();
		for (int i = 0; i < 3; i++) {
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
				.isRejectedWith("Jwt verification fails");
		}
	}

	@Test
	void serverErrorAndInvalidJsonFailVerificationAndRecoverWhenFixed() throws Exception {
		JwksServer server = server("not json");
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isRejectedWith("Jwt verification fails");
		server.publish(TestTokens.jwks(K1));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
	}

	@Test
	void http500FailsVerification() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		server.status(500);
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isRejectedWith("Jwt verification fails");
	}

	@Test
	void slowJwksServerIsBoundedByTheRuleTimeout() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		server.delay(Duration.ofSeconds(10));
		JwtAuthenticator authenticator = authenticator(
				TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()).timeout(Duration.ofMillis(300)));
		long start = System.nanoTime();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isRejectedWith("Jwt verification fails");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void settingsFetchTimeoutAppliesToRulesWithTheDefaultTimeout() throws Exception {
		useSettings(new JwtSettings(Duration.ofSeconds(60), Duration.ofMinutes(20), Duration.ofMillis(300), this.clock));
		JwksServer server = server(TestTokens.jwks(K1));
		server.delay(Duration.ofSeconds(10));
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri()));
		long start = System.nanoTime();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isRejectedWith("Jwt verification fails");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
	}

	@Test
	void openIdDiscoveryFindsTheKeysOfARuleWithoutJwks() throws Exception {
		JwksServer server = server(TestTokens.jwks(K1));
		String issuer = server.issuer() + "/";
		JwtAuthenticator authenticator = authenticator(TestRule.issuer(issuer));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("iss", issuer)))).isAuthenticatedAs(
				issuer + "/alice");
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("iss", issuer, "sub", "bob"))))
			.isAuthenticated();
		assertThat(server.discoveryRequests()).isEqualTo(1);
		assertThat(server.jwksRequests()).isEqualTo(1);
	}

	@Test
	void warmUpFetchesInTheBackgroundAndNeverBlocks() throws Exception {
		// Keys with alg: warm-up must not look like an unknown kid and spend the rate limit on a refetch.
		RSAKey withAlg = new RSAKey.Builder(K1).algorithm(JWSAlgorithm.RS256).build();
		JwksServer server = server(TestTokens.jwks(withAlg));
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
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()))).isRejectedWith("Jwt verification fails");
	}

}
