package io.github.istiosecurity.internal.jwt;

import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.NOW;
import static io.github.istiosecurity.internal.jwt.TestTokens.token;

/**
 * §2.5: where tokens are found, and worked examples 39, 41, 42 and 53 (JWT outcome only).
 */
class TokenExtractionTests extends JwtTestSupport {

	private static final String EXPIRED = token("exp", NOW.getEpochSecond() - 3600);

	@Test
	void noTokenPassesUnauthenticated() {
		// Ex 39
		JwtOutcome outcome = authenticate(TestRule.ra1(), FakeTokenRequest.get());
		assertThat(outcome).isUnauthenticated();
		org.assertj.core.api.Assertions.assertThat(outcome.requestPrincipal()).isNull();
		org.assertj.core.api.Assertions.assertThat(outcome.claims()).isNull();
	}

	@Test
	void lowerCaseBearerSchemeIsNoToken() {
		// Ex 41
		assertThat(authenticate(TestRule.ra1(), FakeTokenRequest.get().header("Authorization", "bearer " + token())))
			.isUnauthenticated();
	}

	@Test
	void basicCredentialsAreNoToken() {
		// Ex 42: the header stays (nothing to remove).
		JwtOutcome outcome = authenticate(TestRule.ra1(),
				FakeTokenRequest.get().header("Authorization", "Basic dXNlcjpwdw=="));
		assertThat(outcome).isUnauthenticated();
		org.assertj.core.api.Assertions.assertThat(outcome.headersToRemove()).isEmpty();
	}

	@Test
	void bearerPrefixIsFoundAnywhereAndSpacesAfterItAreSkipped() {
		assertThat(authenticate(TestRule.ra1(),
				FakeTokenRequest.get().header("Authorization", "Foo x, Bearer    " + token() + " trailing")))
			.isAuthenticated();
	}

	@Test
	void valuesOfARepeatedHeaderAreJoinedAndYieldOneToken() {
		assertThat(authenticate(TestRule.ra1(),
				FakeTokenRequest.get()
					.header("Authorization", "Basic abc")
					.header("Authorization", "Bearer " + token())))
			.isAuthenticated();
		// Only the first "Bearer " occurrence counts: the expired token in the second
		// value is never seen.
		assertThat(authenticate(TestRule.ra1(),
				FakeTokenRequest.bearer(token()).header("Authorization", "Bearer " + EXPIRED)))
			.isAuthenticated();
	}

	@Test
	void bearerFollowedByNothingUsableHandsOverTheRawValue() {
		assertThat(authenticate(TestRule.ra1(), FakeTokenRequest.get().header("Authorization", "Bearer ")))
			.isRejectedWith("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
	}

	@Test
	void accessTokenQueryParameterIsADefaultLocation() {
		assertThat(authenticate(TestRule.ra1(), FakeTokenRequest.get().param("access_token", token())))
			.isAuthenticated();
		assertThat(authenticate(TestRule.ra1(), FakeTokenRequest.get().param("Access_Token", token())))
			.isUnauthenticated();
	}

	@Test
	void customLocationsReplaceTheDefaults() {
		// Ex 53
		TestRule rule = TestRule.ra1().fromHeader("x-jwt-token", "Value ").fromParam("token");
		assertThat(authenticate(rule, FakeTokenRequest.get().header("X-Jwt-Token", "Value " + token())))
			.isAuthenticated();
		assertThat(authenticate(rule, FakeTokenRequest.get().param("token", token()))).isAuthenticated();
		assertThat(authenticate(rule, FakeTokenRequest.bearer(token()))).isUnauthenticated();
		assertThat(authenticate(rule, FakeTokenRequest.get().param("access_token", token()))).isUnauthenticated();
		assertThat(authenticate(rule, FakeTokenRequest.get().param("token_value", token()))).isUnauthenticated();
	}

	@Test
	void headerWithoutTheConfiguredPrefixIsMissingNotInvalid() {
		// D2
		TestRule rule = TestRule.ra1().fromHeader("x-jwt-token", "Value ");
		assertThat(authenticate(rule, FakeTokenRequest.get().header("x-jwt-token", "value " + token())))
			.isUnauthenticated();
	}

	@Test
	void headerNamesAreCaseInsensitive() {
		TestRule rule = TestRule.ra1().fromHeader("X-JWT", "");
		assertThat(authenticate(rule, FakeTokenRequest.get().header("x-jwt", token()))).isAuthenticated();
	}

	@Test
	void headerWithoutPrefixUsesTheWholeValue() {
		TestRule rule = TestRule.ra1().fromHeader("x-jwt", "");
		assertThat(authenticate(rule, FakeTokenRequest.get().header("x-jwt", "Bearer " + token())))
			.isRejectedWith("Jwt header is an invalid Base64url encoded");
	}

	@Test
	void cookieLocation() {
		TestRule rule = TestRule.ra1().fromCookie("session");
		assertThat(authenticate(rule, FakeTokenRequest.get().cookie("session", token()))).isAuthenticated();
		assertThat(authenticate(rule, FakeTokenRequest.get().cookie("other", token()))).isUnauthenticated();
	}

	@Test
	void tokenAtALocationNoRuleListsIsNeverSeen() {
		assertThat(authenticate(TestRule.ra1(), FakeTokenRequest.get().header("x-token", EXPIRED))).isUnauthenticated();
	}

}
