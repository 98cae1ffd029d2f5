package io.github.istiosecurity.internal.jwt;

import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spellings of one token: Envoy splits on '.' skipping empty pieces, so extra dots
 * anywhere give the same token. They share one parse per request and one verified-token
 * cache entry, under the canonical spelling; a token longer than
 * {@link ParsedToken#MAX_LENGTH} is refused before it is read.
 */
class TokenSpellingTests extends JwtTestSupport {

	private static final String BAD_FORMAT = JwtFailure.BAD_FORMAT.status();

	private static String[] spellings(String token) {
		String[] pieces = token.split("\\.");
		return new String[] { token + ".", "." + token, pieces[0] + ".." + pieces[1] + "." + pieces[2],
				pieces[0] + "." + pieces[1] + "...." + pieces[2],
				"..." + pieces[0] + "..." + pieces[1] + "..." + pieces[2] + "..." };
	}

	@Test
	void aCanonicalTokenIsItsOwnCanonicalSpellingWithoutACopy() {
		String token = TestTokens.token();
		assertThat(ParsedToken.canonical(token)).isSameAs(token);
	}

	@Test
	void everySpellingHasTheSameCanonicalSpelling() {
		String token = TestTokens.token();
		for (String spelling : spellings(token)) {
			assertThat(ParsedToken.canonical(spelling)).as(spelling).isEqualTo(token);
			assertThat(ParsedToken.parse(spelling).value).as(spelling).isEqualTo(token);
		}
	}

	@Test
	void onlyThreeNonEmptyPiecesHaveACanonicalSpelling() {
		for (String notThree : new String[] { "", ".", "...", "a", "a.b", "a..b", ".a.b.", "a.b.c.d", "a.b.c..d" }) {
			assertThat(ParsedToken.canonical(notThree)).as(notThree).isNull();
		}
		assertThat(ParsedToken.canonical("a.b.c")).isEqualTo("a.b.c");
		assertThat(ParsedToken.canonical(".a..b...c.")).isEqualTo("a.b.c");
	}

	@Test
	void allSpellingsShareOneVerificationAndOneCacheEntry() {
		TestRule rule = TestRule.ra1();
		JwtAuthenticator authenticator = authenticator(rule);
		String token = TestTokens.token();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		for (String spelling : spellings(token)) {
			assertThat(authenticator.authenticate(FakeTokenRequest.bearer(spelling))).isAuthenticated();
		}
		assertThat(this.keys.forRule(rule.build()).lookups()).isEqualTo(1);
		assertThat(this.cache.estimatedSize()).isEqualTo(1);
	}

	@Test
	void aSpellingVerifiedFirstIsCachedUnderTheCanonicalSpelling() {
		JwtAuthenticator authenticator = authenticator(TestRule.ra1());
		String token = TestTokens.token();
		JwtOutcome outcome = authenticator.authenticate(FakeTokenRequest.bearer(".." + token + ".."));
		assertThat(outcome).isAuthenticated();
		assertThat(outcome.jwt()).isNotNull();
		assertThat(outcome.jwt().getTokenValue()).isEqualTo(token);
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(this.cache.estimatedSize()).isEqualTo(1);
	}

	@Test
	void aTokenLongerThanTheLimitIsRefusedBeforeItIsRead() {
		String padding = "x".repeat(ParsedToken.MAX_LENGTH);
		String oversized = TestTokens.token("padding", padding);
		assertThat(oversized.length()).isGreaterThan(ParsedToken.MAX_LENGTH);
		assertThat(ParsedToken.canonical(oversized)).isNull();
		assertThat(authenticator(TestRule.ra1()).authenticate(FakeTokenRequest.bearer(oversized)))
			.isRejectedWith(BAD_FORMAT);
		// Even made only of dots: not scanned at all.
		assertThat(ParsedToken.parse(".".repeat(ParsedToken.MAX_LENGTH + 1)).failure).isEqualTo(JwtFailure.BAD_FORMAT);
	}

	@Test
	void aTokenOfExactlyTheLimitIsRead() {
		int unpadded = TestTokens.token("padding", "").length();
		// Four base64url characters for three of padding, a few short of the limit.
		String padded = TestTokens.token("padding", "x".repeat((ParsedToken.MAX_LENGTH - unpadded) * 3 / 4 - 4));
		assertThat(padded.length()).isBetween(ParsedToken.MAX_LENGTH - 16, ParsedToken.MAX_LENGTH);
		// Extra dots fill the rest: the spelling is exactly MAX_LENGTH long and still
		// verifies.
		String exact = padded + ".".repeat(ParsedToken.MAX_LENGTH - padded.length());
		assertThat(exact).hasSize(ParsedToken.MAX_LENGTH);
		assertThat(authenticator(TestRule.ra1()).authenticate(FakeTokenRequest.bearer(exact))).isAuthenticated();
		assertThat(authenticator(TestRule.ra1()).authenticate(FakeTokenRequest.bearer(exact + ".")))
			.isRejectedWith(BAD_FORMAT);
	}

}
