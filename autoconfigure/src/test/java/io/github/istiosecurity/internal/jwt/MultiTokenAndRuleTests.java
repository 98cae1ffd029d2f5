package io.github.istiosecurity.internal.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.B_KEY;
import static io.github.istiosecurity.internal.jwt.TestTokens.NOW;
import static io.github.istiosecurity.internal.jwt.TestTokens.token;

/**
 * §2.7: several tokens for a rule, several rules, the error selection, and examples 51
 * and 52.
 */
class MultiTokenAndRuleTests extends JwtTestSupport {

	private static final String B = "https://b.example.com";

	private static final String EXPIRED = token("exp", NOW.getEpochSecond() - 3600);

	private static TestRule ruleB() {
		return TestRule.issuer(B).jwks(TestTokens.jwks(B_KEY));
	}

	private static String tokenB(Object... claims) {
		java.util.Map<String, Object> payload = TestTokens.claims("iss", B, "sub", "carol");
		payload.putAll(TestTokens.claims(claims));
		payload.put("iss", B);
		payload.put("sub", "carol");
		return TestTokens.sign(B_KEY, JWSAlgorithm.RS256, "b1", payload);
	}

	@Test
	void everyTokenOfARuleMustPass() {
		// Ex 51 / item 4
		assertThat(authenticator(TestRule.ra1())
			.authenticate(FakeTokenRequest.bearer(token()).param("access_token", EXPIRED)))
			.isRejectedWith("Jwt is expired");
		assertThat(authenticator(TestRule.ra1())
			.authenticate(FakeTokenRequest.bearer(token()).param("access_token", token("sub", "bob"))))
			.isAuthenticatedAs("https://idp.example.com/alice");
	}

	@Test
	void tokensAreVerifiedLastExtractedFirst() {
		// Cookie before parameter before header: the cookie's failure is reported.
		TestRule rule = TestRule.ra1().fromHeader("x-jwt", "").fromParam("token").fromCookie("jwt");
		JwtOutcome outcome = authenticator(rule).authenticate(FakeTokenRequest.get()
			.header("x-jwt", "garbage")
			.param("token", token("nbf", NOW.getEpochSecond() + 3600))
			.cookie("jwt", EXPIRED));
		assertThat(outcome).isRejectedWith("Jwt is expired");
	}

	@Test
	void secondIssuerSharingTheDefaultLocationAuthenticates() {
		// Ex 52 / item 5
		JwtAuthenticator authenticator = authenticator(TestRule.ra1(), ruleB());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenB()))).isAuthenticatedAs(B + "/carol");
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token())))
			.isAuthenticatedAs("https://idp.example.com/alice");
	}

	@Test
	void tokensOfTwoIssuersInTheDefaultLocationsAreRejected() {
		// Item 6: each rule sees both tokens and fails on the other issuer's.
		JwtAuthenticator authenticator = authenticator(TestRule.ra1(), ruleB());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token()).param("access_token", tokenB())))
			.isRejectedWith("Jwt issuer is not configured");
	}

	@Test
	void unknownIssuerWithSeveralRulesIsNotConfigured() {
		// Item 3
		JwtAuthenticator authenticator = authenticator(TestRule.ra1(), ruleB());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("iss", "https://c.example.com"))))
			.isRejectedWith("Jwt issuer is not configured");
	}

	@Test
	void failureOfTheMatchingIssuerIsReportedInsteadOfIssuerNotConfigured() {
		// n >= 2: the first rule says "issuer not configured", so the last other status
		// is reported.
		JwtAuthenticator authenticator = authenticator(TestRule.ra1(), ruleB());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(tokenB("exp", NOW.getEpochSecond() - 3600))))
			.isRejectedWith("Jwt is expired");
	}

	@Test
	void firstNonMissingRuleStatusWinsWhenItIsNotAnIssuerMismatch() {
		JwtAuthenticator authenticator = authenticator(TestRule.ra1(), ruleB());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(EXPIRED))).isRejectedWith("Jwt is expired");
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer("garbage")))
			.isRejectedWith("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
	}

	@Test
	void lastOtherStatusIsChosenAmongSeveralFailingRules() {
		TestRule a = TestRule.ra1().fromHeader("x-a", "");
		TestRule b = ruleB().fromHeader("x-b", "");
		TestRule c = TestRule.issuer("https://c.example.com").jwks(TestTokens.jwks(B_KEY)).fromHeader("x-c", "");
		JwtOutcome outcome = authenticator(a, b, c).authenticate(FakeTokenRequest.get()
			.header("x-a", tokenB())
			.header("x-b", tokenB("exp", NOW.getEpochSecond() - 3600))
			.header("x-c", "garbage"));
		assertThat(outcome)
			.isRejectedWith("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
	}

	@Test
	void disjointLocationsLetTheValidRulePassDespiteGarbageElsewhere() {
		// Item 7: the principal comes from the first succeeding rule.
		TestRule a = TestRule.ra1().fromHeader("x-a", "");
		TestRule b = ruleB().fromHeader("x-b", "");
		assertThat(
				authenticator(a, b).authenticate(FakeTokenRequest.get().header("x-a", token()).header("x-b", "junk")))
			.isAuthenticatedAs("https://idp.example.com/alice");
		assertThat(
				authenticator(a, b).authenticate(FakeTokenRequest.get().header("x-a", "junk").header("x-b", tokenB())))
			.isAuthenticatedAs(B + "/carol");
	}

	@Test
	void firstSucceedingRuleInIssuerOrderGivesThePrincipal() {
		TestRule a = TestRule.ra1().fromHeader("x-a", "");
		TestRule b = ruleB().fromHeader("x-b", "");
		assertThat(
				authenticator(a, b).authenticate(FakeTokenRequest.get().header("x-a", token()).header("x-b", tokenB())))
			.isAuthenticatedAs("https://idp.example.com/alice");
	}

	@Test
	void sameIssuerInTwoRulesWithDifferentAudiencesPassesEither() {
		// Item 8
		JwtAuthenticator authenticator = authenticator(TestRule.ra1().audiences("one"),
				TestRule.ra1().audiences("two"));
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("aud", "two")))).isAuthenticated();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("aud", "one")))).isAuthenticated();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token("aud", "three")))).isRejected(403,
				"Audiences in Jwt are not allowed");
	}

	@Test
	void noTokenForAnyRulePassesUnauthenticated() {
		// Item 1
		assertThat(authenticator(TestRule.ra1(), ruleB()).authenticate(FakeTokenRequest.get())).isUnauthenticated();
	}

	@Test
	void noRulesMeansNoProcessing() {
		JwtAuthenticator authenticator = authenticator();
		org.assertj.core.api.Assertions.assertThat(authenticator.hasRules()).isFalse();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer("garbage"))).isNotProcessed();
	}

}
