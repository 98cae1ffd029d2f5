package io.github.istiosecurity.internal.jwt;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.NOW;
import static io.github.istiosecurity.internal.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * §2.9 and §2.11: output headers, sanitisation, forwardOriginalToken, space-delimited
 * claims, the Spring authentication, CORS preflight; examples 54, 55, 64 and 65.
 */
class OutputsAndClaimsTests extends JwtTestSupport {

	private static final String EXPIRED = token("exp", NOW.getEpochSecond() - 3600);

	private static TestRule ex54() {
		return TestRule.ra1()
			.outputPayloadToHeader("x-jwt-payload")
			.outputClaimToHeader("x-jwt-sub", "sub")
			.outputClaimToHeader("X-Jwt-Lvl", "level");
	}

	@Test
	void verifiedTokenHeaderIsRemovedAndOutputsAreAdded() {
		// Ex 54
		String token = token("level", 1.5);
		JwtOutcome outcome = authenticate(ex54(), FakeTokenRequest.bearer(token).header("x-jwt-sub", "admin"));
		assertThat(outcome).isAuthenticated();
		assertThat(outcome.headersToRemove()).containsExactlyInAnyOrder("authorization", "x-jwt-payload", "x-jwt-sub",
				"x-jwt-lvl");
		assertThat(outcome.headersToAdd()).containsExactlyInAnyOrderEntriesOf(Map.of("x-jwt-payload",
				TestTokens.payloadSegment(token), "x-jwt-sub", "alice", "x-jwt-lvl", "1.500000"));
	}

	@Test
	void tokenInAQueryParameterIsNotRemoved() {
		// Ex 54, second part: only the output headers go.
		JwtOutcome outcome = authenticate(ex54(), FakeTokenRequest.get().param("access_token", token()));
		assertThat(outcome).isAuthenticated();
		assertThat(outcome.headersToRemove()).containsExactlyInAnyOrder("x-jwt-payload", "x-jwt-sub", "x-jwt-lvl");
	}

	@Test
	void forwardOriginalTokenKeepsTheHeader() {
		JwtOutcome outcome = authenticate(TestRule.ra1().forwardOriginalToken(), FakeTokenRequest.bearer(token()));
		assertThat(outcome).isAuthenticated();
		assertThat(outcome.headersToRemove()).isEmpty();
	}

	@Test
	void outputHeadersAreSanitisedOnEveryProcessedRequest() {
		JwtAuthenticator authenticator = authenticator(ex54(),
				TestRule.issuer("https://b.example.com")
					.jwks(TestTokens.jwks(TestTokens.B_KEY))
					.outputClaimToHeader("x-b-email", "email"));
		assertThat(authenticator.outputHeaders()).containsExactlyInAnyOrder("x-jwt-payload", "x-jwt-sub", "x-jwt-lvl",
				"x-b-email");
		JwtOutcome anonymous = authenticator.authenticate(FakeTokenRequest.get().header("x-jwt-sub", "admin"));
		assertThat(anonymous).isUnauthenticated();
		assertThat(anonymous.headersToRemove()).isEqualTo(authenticator.outputHeaders());
		assertThat(anonymous.headersToAdd()).isEmpty();
		JwtOutcome authenticated = authenticator.authenticate(FakeTokenRequest.bearer(token()));
		assertThat(authenticated.headersToRemove()).containsAll(authenticator.outputHeaders());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(EXPIRED)).headersToRemove())
			.isEqualTo(authenticator.outputHeaders());
	}

	@Test
	void missingOrEmptyClaimsWriteNoHeader() {
		TestRule rule = TestRule.ra1().outputClaimToHeader("x-email", "email").outputClaimToHeader("x-name", "name");
		JwtOutcome outcome = authenticate(rule, FakeTokenRequest.bearer(token("name", "")));
		assertThat(outcome.headersToAdd()).isEmpty();
		assertThat(outcome.headersToRemove()).contains("x-email", "x-name");
	}

	@Test
	void claimValuesAreFormattedLikeEnvoy() {
		assertThat(ClaimHeaderValue.format("text")).isEqualTo("text");
		assertThat(ClaimHeaderValue.format(true)).isEqualTo("true");
		assertThat(ClaimHeaderValue.format(false)).isEqualTo("false");
		assertThat(ClaimHeaderValue.format(42L)).isEqualTo("42");
		assertThat(ClaimHeaderValue.format(42.0)).isEqualTo("42");
		assertThat(ClaimHeaderValue.format(1.5)).isEqualTo("1.500000");
		assertThat(ClaimHeaderValue.format(-3L)).isEqualTo("-3.000000");
		assertThat(ClaimHeaderValue.format(-3.0)).isEqualTo("-3.000000");
		assertThat(ClaimHeaderValue.format(0.1)).isEqualTo("0.100000");
		assertThat(ClaimHeaderValue.format(1e20)).isEqualTo("100000000000000000000");
		assertThat(ClaimHeaderValue.format(null)).isNull();
		assertThat(ClaimHeaderValue.format("")).isNull();
	}

	@Test
	void objectsAndArraysAreBase64OfTheirJson() {
		TestRule rule = TestRule.ra1().outputClaimToHeader("x-groups", "groups").outputClaimToHeader("x-addr", "addr");
		JwtOutcome outcome = authenticate(rule,
				FakeTokenRequest.bearer(token("groups", List.of("dev", "admin"), "addr", Map.of("city", "Bern"))));
		assertThat(decode(outcome.headersToAdd().get("x-groups"))).isEqualTo("[\"dev\",\"admin\"]");
		assertThat(decode(outcome.headersToAdd().get("x-addr"))).isEqualTo("{\"city\":\"Bern\"}");
	}

	private static String decode(String base64) {
		return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
	}

	@Test
	void dotsInAClaimNameMeanNesting() {
		TestRule rule = TestRule.ra1().outputClaimToHeader("x-group", "nested.key.group");
		JwtOutcome outcome = authenticate(rule, FakeTokenRequest
			.bearer(token("nested", Map.of("key", Map.of("group", "ops")), "nested.key.group", "flat")));
		assertThat(outcome.headersToAdd()).containsEntry("x-group", "ops");
	}

	@Test
	void scopeIsSplitOnSpacesForMatching() {
		// Ex 64
		JwtOutcome outcome = authenticate(TestRule.ra1(),
				FakeTokenRequest.bearer(token("scope", "read  write", "permission", "a b", "roles", "user admin")));
		assertThat(outcome.claims()).containsEntry("scope", List.of("read", "write"))
			.containsEntry("permission", List.of("a", "b"))
			.containsEntry("roles", "user admin");
	}

	@Test
	void spaceDelimitedClaimsAreSplitToo() {
		// Ex 65; lists stay as they are, nested names are not looked up (D6).
		TestRule rule = TestRule.ra1().spaceDelimitedClaims("roles", "provider.login.scope");
		JwtOutcome outcome = authenticate(rule, FakeTokenRequest.bearer(token("roles", "user admin", "scope",
				List.of("x y"), "provider", Map.of("login", Map.of("scope", "p q")))));
		assertThat(outcome.claims()).containsEntry("roles", List.of("user", "admin"))
			.containsEntry("scope", List.of("x y"))
			.containsEntry("provider", Map.of("login", Map.of("scope", "p q")));
	}

	@Test
	void splittingDoesNotChangeTheForwardedHeaders() {
		TestRule rule = TestRule.ra1().outputClaimToHeader("x-scope", "scope");
		JwtOutcome outcome = authenticate(rule, FakeTokenRequest.bearer(token("scope", "read write")));
		assertThat(outcome.headersToAdd()).containsEntry("x-scope", "read write");
	}

	@Test
	void authenticationIsAJwtAuthenticationTokenNamedByThePrincipal() {
		JwtOutcome outcome = authenticate(TestRule.ra1(), FakeTokenRequest.bearer(token("scope", "read write")));
		Authentication authentication = outcome.authentication();
		assertThat(authentication).isInstanceOf(JwtAuthenticationToken.class);
		assertThat(authentication.getName()).isEqualTo("https://idp.example.com/alice");
		assertThat(authentication.isAuthenticated()).isTrue();
		assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactlyInAnyOrder("SCOPE_read", "SCOPE_write");
		assertThat(outcome.jwt().getTokenValue()).isNotEmpty();
	}

	@Test
	void scpListGivesAuthoritiesToo() {
		JwtOutcome outcome = authenticate(TestRule.ra1(), FakeTokenRequest.bearer(token("scp", List.of("a", "b"))));
		assertThat(outcome.authentication().getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactlyInAnyOrder("SCOPE_a", "SCOPE_b");
	}

	@Test
	void tokenWithoutSubHasNoRequestPrincipal() {
		// D17
		JwtOutcome outcome = authenticate(TestRule.ra1(), FakeTokenRequest.bearer(token("sub", null)));
		assertThat(outcome).isAuthenticated();
		assertThat(outcome.requestPrincipal()).isNull();
		assertThat(outcome.authentication()).isInstanceOf(JwtAuthenticationToken.class);
	}

	@Test
	void authenticationOfAnythingButAnAuthenticatedOutcomeFails() {
		JwtOutcome outcome = authenticate(TestRule.ra1(), FakeTokenRequest.bearer(EXPIRED));
		assertThat(outcome.httpStatus()).isEqualTo(401);
		assertThat(outcome.jwt()).isNull();
		assertThat(outcome.toString()).doesNotContain(EXPIRED);
		assertThatIllegalStateException().isThrownBy(outcome::authentication);
	}

	@Test
	void corsPreflightSkipsJwtProcessing() {
		// Ex 55: an expired token in a preflight is ignored and nothing is removed.
		TestRule rule = ex54();
		FakeTokenRequest preflight = FakeTokenRequest.bearer(EXPIRED)
			.method("OPTIONS")
			.header("Origin", "https://a.example")
			.header("Access-Control-Request-Method", "POST");
		JwtOutcome outcome = authenticate(rule, preflight);
		assertThat(outcome).isNotProcessed();
		assertThat(outcome.headersToRemove()).isEmpty();
		assertThat(outcome.httpStatus()).isZero();
	}

	@Test
	void optionsWithoutOriginIsNotAPreflight() {
		// Ex 55, second part
		FakeTokenRequest options = FakeTokenRequest.bearer(EXPIRED)
			.method("OPTIONS")
			.header("Access-Control-Request-Method", "POST");
		assertThat(authenticate(TestRule.ra1(), options)).isRejectedWith("Jwt is expired");
		FakeTokenRequest emptyOrigin = FakeTokenRequest.bearer(EXPIRED)
			.method("OPTIONS")
			.header("Origin", "")
			.header("Access-Control-Request-Method", "POST");
		assertThat(authenticate(TestRule.ra1(), emptyOrigin)).isRejectedWith("Jwt is expired");
	}

}
