package io.github.istiosecurity.internal.jwt;

import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verified-token cache is bounded in bytes as well as in entries: each entry weighs
 * an estimate of the heap its token holds, so large tokens cannot fill the heap however
 * many are verified.
 */
class VerifiedTokenCacheBoundsTests extends JwtTestSupport {

	private static final long BYTES = 256 * 1024;

	/** A token of about {@code kib} KiB, distinct per subject. */
	private static String largeToken(String subject, int kib) {
		return TestTokens.token("sub", subject, "padding", "x".repeat(kib * 1024 * 3 / 4));
	}

	@Test
	void theByteBoundLimitsLargeTokensBeforeTheEntryBound() {
		this.cache = new VerifiedTokenCache(10_000, BYTES, this.settings);
		JwtAuthenticator authenticator = authenticator(TestRule.ra1());
		for (int i = 0; i < 100; i++) {
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(largeToken("user" + i, 16))))
				.isAuthenticated();
		}
		// 16 KiB tokens: at most 16 fit in 256 KiB.
		assertThat(this.cache.estimatedBytes()).isLessThanOrEqualTo(BYTES);
		assertThat(this.cache.estimatedSize()).isBetween(1L, 16L);
	}

	@Test
	void eachEntryWeighsAtLeastItsTokenAndItsDecodedClaims() {
		this.cache = new VerifiedTokenCache(10_000, 64L * 1024 * 1024, this.settings);
		String padding = "x".repeat(12 * 1024);
		String token = TestTokens.token("padding", padding);
		assertThat(authenticator(TestRule.ra1()).authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(this.cache.estimatedBytes()).isGreaterThan((long) token.length() + padding.length());
	}

	@Test
	void eachEntryAlsoWeighsTheOutcomeItsTokenRemembers() {
		// 2,000 one-letter words: as scope, authorization matches them as 2,000 strings
		// the token's outcome holds; the same text in another claim stays one string
		String words = "s ".repeat(2_000).trim();
		long split = weightOfOneEntry(TestTokens.token("scope", words));
		long whole = weightOfOneEntry(TestTokens.token("notes", words));
		assertThat(split - whole).isGreaterThanOrEqualTo(2_000L * 48);
	}

	private long weightOfOneEntry(String token) {
		this.cache = new VerifiedTokenCache(10_000, 64L * 1024 * 1024, this.settings);
		JwtAuthenticator authenticator = authenticator(TestRule.ra1());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(this.cache.estimatedSize()).isOne();
		return this.cache.estimatedBytes();
	}

	@Test
	void theEntryBoundStillHoldsForSmallTokens() {
		this.cache = new VerifiedTokenCache(10, BYTES, this.settings);
		JwtAuthenticator authenticator = authenticator(TestRule.ra1());
		for (int i = 0; i < 50; i++) {
			authenticator.authenticate(FakeTokenRequest.bearer(TestTokens.token("sub", "user" + i)));
		}
		assertThat(this.cache.estimatedSize()).isBetween(1L, 10L);
		// Small tokens weigh the byte bound divided by the entry bound.
		assertThat(this.cache.estimatedBytes()).isLessThanOrEqualTo(BYTES);
	}

	@Test
	void zeroBytesDisablesCaching() {
		this.cache = new VerifiedTokenCache(10_000, 0, this.settings);
		TestRule rule = TestRule.ra1();
		JwtAuthenticator authenticator = authenticator(rule);
		String token = TestTokens.token();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(this.keys.forRule(rule.build()).lookups()).isEqualTo(2);
		assertThat(this.cache.estimatedSize()).isZero();
	}

	@Test
	void aTokenLargerThanTheWholeBoundIsVerifiedButNotKept() {
		this.cache = new VerifiedTokenCache(10_000, 8 * 1024, this.settings);
		assertThat(authenticator(TestRule.ra1()).authenticate(FakeTokenRequest.bearer(largeToken("alice", 16))))
			.isAuthenticated();
		assertThat(this.cache.estimatedSize()).isZero();
	}

}
