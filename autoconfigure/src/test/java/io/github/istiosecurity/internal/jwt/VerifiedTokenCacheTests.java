package io.github.istiosecurity.internal.jwt;

import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.JwksServer;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.K1;
import static io.github.istiosecurity.internal.jwt.TestTokens.NOW;
import static io.github.istiosecurity.internal.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The verified-token cache: a repeated token costs a look-up, not a verification;
 * rule-dependent checks still run on a hit; entries never outlive {@code exp} + skew, nor
 * their key.
 */
class VerifiedTokenCacheTests extends JwtTestSupport {

	private long lookups(TestRule rule) {
		return this.keys.forRule(rule.build()).lookups();
	}

	@Test
	void repeatedTokenIsVerifiedOnce() {
		TestRule rule = TestRule.ra1();
		JwtAuthenticator authenticator = authenticator(rule);
		String token = token();
		for (int i = 0; i < 100; i++) {
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		}
		assertThat(lookups(rule)).isEqualTo(1);
		assertThat(this.cache.estimatedSize()).isEqualTo(1);
	}

	@Test
	void cacheSurvivesAPolicyReload() {
		TestRule rule = TestRule.ra1();
		String token = token();
		assertThat(authenticator(rule).authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(authenticator(rule, TestRule.issuer("https://b.example.com").jwks(TestTokens.jwks(TestTokens.B_KEY)))
			.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(lookups(rule)).isEqualTo(1);
	}

	@Test
	void aCachedTokensOutcomeIsBuiltOncePerRuleAndHeader() {
		TestRule rule = TestRule.ra1()
			.fromHeader("authorization", "Bearer ")
			.fromHeader("x-token", "")
			.outputClaimToHeader("x-sub", "sub");
		JwtAuthenticator authenticator = authenticator(rule);
		String token = token();
		JwtOutcome first = authenticator.authenticate(FakeTokenRequest.bearer(token));
		JwtOutcome again = authenticator.authenticate(FakeTokenRequest.bearer(token));
		assertThat(first).isAuthenticated();
		assertThat(again).isSameAs(first);
		assertThat(again.headersToRemove()).containsExactlyInAnyOrder("x-sub", "authorization");
		assertThat(again.headersToAdd()).containsEntry("x-sub", "alice");
		// the same token in another header removes that header
		JwtOutcome otherHeader = authenticator.authenticate(FakeTokenRequest.get().header("x-token", token));
		assertThat(otherHeader.headersToRemove()).containsExactlyInAnyOrder("x-sub", "x-token");
		// two tokens: built for the request
		JwtOutcome two = authenticator.authenticate(FakeTokenRequest.bearer(token).header("x-token", token));
		assertThat(two.headersToRemove()).containsExactlyInAnyOrder("x-sub", "x-token", "authorization");
		// after a reload, the new rule's outputs
		JwtOutcome reloaded = authenticator(TestRule.ra1().outputClaimToHeader("x-issuer", "iss"))
			.authenticate(FakeTokenRequest.bearer(token));
		assertThat(reloaded).isNotSameAs(first);
		assertThat(reloaded.headersToAdd()).containsOnlyKeys("x-issuer");
		assertThat(lookups(rule)).isEqualTo(1);
	}

	@Test
	void failedTokensAreNotCached() {
		TestRule rule = TestRule.ra1();
		String forged = TestTokens.sign(TestTokens.IMPOSTOR, JWSAlgorithm.RS256, "k1", TestTokens.claims());
		JwtAuthenticator authenticator = authenticator(rule);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(forged)))
			.isRejectedWith("Jwt verification fails");
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(forged)))
			.isRejectedWith("Jwt verification fails");
		assertThat(lookups(rule)).isEqualTo(2);
		assertThat(this.cache.estimatedSize()).isZero();
	}

	@Test
	void expiryIsStillCheckedOnAHit() {
		JwtAuthenticator authenticator = authenticator(TestRule.ra1());
		String token = token("exp", NOW.getEpochSecond() + 10);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		this.clock.advance(Duration.ofSeconds(71));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isRejectedWith("Jwt is expired");
	}

	@Test
	void notBeforeIsStillCheckedOnAHit() {
		JwtAuthenticator authenticator = authenticator(TestRule.ra1());
		String token = token("nbf", NOW.getEpochSecond() + 30);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		this.clock.advance(Duration.ofSeconds(-60));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isRejectedWith("Jwt not yet valid");
	}

	@Test
	void audienceAndIssuerAreCheckedPerRuleOnAHit() {
		// Two rules share the key source (same issuer and jwks) and so the cached
		// signature.
		TestRule open = TestRule.ra1();
		TestRule restricted = TestRule.ra1().audiences("api");
		String token = token("aud", "web");
		assertThat(authenticator(open).authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(authenticator(restricted).authenticate(FakeTokenRequest.bearer(token))).isRejected(403,
				"Audiences in Jwt are not allowed");
		assertThat(lookups(open)).isEqualTo(1);
	}

	@Test
	void cachedSignatureIsNotReusedForAnotherKeySet() {
		TestRule other = TestRule.ra1().jwks(TestTokens.jwks(TestTokens.B_KEY));
		String token = token();
		assertThat(authenticator(TestRule.ra1()).authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(authenticator(other).authenticate(FakeTokenRequest.bearer(token)))
			.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
	}

	@Test
	void entryNeverOutlivesExpPlusSkew() {
		authenticator(TestRule.ra1()).authenticate(FakeTokenRequest.bearer(token("exp", NOW.getEpochSecond() + 100)));
		assertThat(this.cache.estimatedSize()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(159));
		assertThat(this.cache.estimatedSize()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.cache.estimatedSize()).isZero();
	}

	@Test
	void entryWithoutExpLivesAtMostOneRefreshInterval() {
		authenticator(TestRule.ra1()).authenticate(FakeTokenRequest.bearer(token("exp", null)));
		assertThat(this.cache.estimatedSize()).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(20).plusSeconds(1));
		assertThat(this.cache.estimatedSize()).isZero();
	}

	@Test
	void cacheIsBounded() {
		this.cache = new VerifiedTokenCache(10, this.settings);
		JwtAuthenticator authenticator = authenticator(TestRule.ra1());
		for (int i = 0; i < 50; i++) {
			authenticator.authenticate(FakeTokenRequest.bearer(token("sub", "user" + i)));
		}
		assertThat(this.cache.estimatedSize()).isLessThanOrEqualTo(10);
	}

	@Test
	void sizeZeroDisablesCaching() {
		this.cache = new VerifiedTokenCache(0, this.settings);
		TestRule rule = TestRule.ra1();
		JwtAuthenticator authenticator = authenticator(rule);
		String token = token();
		authenticator.authenticate(FakeTokenRequest.bearer(token));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(lookups(rule)).isEqualTo(2);
	}

	@Test
	void aDisabledCacheVerifiesEveryTokenAndKeepsNothing() {
		this.cache = VerifiedTokenCache.disabled();
		TestRule rule = TestRule.ra1();
		JwtAuthenticator authenticator = authenticator(rule);
		String token = token();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(lookups(rule)).isEqualTo(2);
		assertThat(this.cache.isEnabled()).isFalse();
		assertThat(this.cache.estimatedSize()).isZero();
		assertThat(this.cache.estimatedBytes()).isZero();
	}

	@Test
	void tokenWhoseKeyLeftTheJwksIsVerifiedAgain() throws Exception {
		RSAKey k2 = TestTokens.rsa("k2");
		try (JwksServer server = new JwksServer(TestTokens.jwks(K1))) {
			TestRule rule = TestRule.issuer(TestTokens.ISSUER).jwksUri(server.jwksUri());
			this.keys.warmUp(List.of(rule.build()));
			await().atMost(Duration.ofSeconds(10)).until(() -> this.keys.forRule(rule.build()).known() != null);
			JwtAuthenticator authenticator = authenticator(rule);
			String token = token();
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
			assertThat(lookups(rule)).isEqualTo(1);
			// k1 is revoked; the first k2 token is refused and makes the set be fetched
			// again in the background.
			server.publish(TestTokens.jwks(k2));
			String tokenK2 = TestTokens.sign(k2, JWSAlgorithm.RS256, "k2", TestTokens.claims());
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenK2)))
				.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.keys.forRule(rule.build()).known().set().getKeyByKeyId("k2") != null);
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenK2))).isAuthenticated();
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token)))
				.isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
		}
	}

}
