package io.github.istiosecurity.internal.jwt;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.ISSUER;
import static io.github.istiosecurity.internal.jwt.TestTokens.K1;
import static io.github.istiosecurity.internal.jwt.TestTokens.NOW;
import static io.github.istiosecurity.internal.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * §2.6 steps 2 to 5 (issuer, time, audience, keys, signature) and worked examples 43 to
 * 49.
 */
class RuleChecksTests extends JwtTestSupport {

	private static final long NOW_S = NOW.getEpochSecond();

	private JwtOutcome send(TestRule rule, String token) {
		return authenticate(rule, FakeTokenRequest.bearer(token));
	}

	private JwtOutcome send(String token) {
		return send(TestRule.ra1(), token);
	}

	@Test
	void validTokenAuthenticatesWithIssuerSlashSubject() {
		assertThat(send(token())).isAuthenticatedAs("https://idp.example.com/alice");
	}

	@Test
	void tokenFromAStandardSignedJwtIsAccepted() {
		String token = TestTokens.signedJwt(K1,
				new JWTClaimsSet.Builder().issuer(ISSUER)
					.subject("bob")
					.expirationTime(java.util.Date.from(NOW.plusSeconds(60)))
					.build());
		assertThat(send(token)).isAuthenticatedAs("https://idp.example.com/bob");
	}

	@Test
	void unknownIssuerIsNotConfigured() {
		// Ex 46
		assertThat(send(token("iss", "https://other.example.com", "sub", "bob")))
			.isRejectedWith("Jwt issuer is not configured");
	}

	@Test
	void tokenWithoutIssuerFailsARuleWithAnIssuer() {
		assertThat(send(token("iss", null))).isRejectedWith("Jwt issuer is not configured");
	}

	@Test
	void issuerComparisonIsExactAndCaseSensitive() {
		assertThat(send(token("iss", "https://IDP.example.com"))).isRejectedWith("Jwt issuer is not configured");
		assertThat(send(token("iss", "https://idp.example.com/"))).isRejectedWith("Jwt issuer is not configured");
	}

	@Test
	void ruleWithoutIssuerAcceptsAnyIssuer() {
		// D21
		TestRule anyIssuer = TestRule.issuer("").jwks(TestTokens.jwks(K1));
		assertThat(send(anyIssuer, token("iss", "https://other.example.com")))
			.isAuthenticatedAs("https://other.example.com/alice");
		assertThat(send(anyIssuer, token("iss", null))).isAuthenticated();
	}

	@Test
	void expiryAllowsSixtySecondsOfSkew() {
		// Ex 43
		assertThat(send(token("exp", NOW_S - 30))).isAuthenticated();
		assertThat(send(token("exp", NOW_S - 60))).isAuthenticated();
		assertThat(send(token("exp", NOW_S - 61))).isRejectedWith("Jwt is expired");
	}

	@Test
	void notBeforeAllowsSixtySecondsOfSkew() {
		// Ex 44
		assertThat(send(token("nbf", NOW_S + 120))).isRejectedWith("Jwt not yet valid");
		assertThat(send(token("nbf", NOW_S + 30))).isAuthenticated();
		assertThat(send(token("nbf", NOW_S + 60))).isAuthenticated();
		assertThat(send(token("nbf", NOW_S + 61))).isRejectedWith("Jwt not yet valid");
	}

	@Test
	void tokenWithoutExpNeverExpires() {
		// Ex 45
		assertThat(send(token("exp", null))).isAuthenticated();
		this.clock.advance(Duration.ofDays(3650));
		assertThat(send(token("exp", null))).isAuthenticated();
	}

	@Test
	void zeroExpAndNbfAreNotChecked() {
		assertThat(send(token("exp", 0, "nbf", 0))).isAuthenticated();
	}

	@Test
	void iatIsNeverChecked() {
		assertThat(send(token("iat", NOW_S + 100_000))).isAuthenticated();
	}

	@Test
	void clockSkewComesFromTheSettings() {
		useSettings(new JwtSettings(Duration.ZERO, Duration.ofMinutes(20), Duration.ofSeconds(5), this.clock));
		assertThat(send(token("exp", NOW_S - 1))).isRejectedWith("Jwt is expired");
	}

	@Test
	void issuerIsCheckedBeforeTime() {
		assertThat(send(token("iss", "https://other.example.com", "exp", NOW_S - 1000)))
			.isRejectedWith("Jwt issuer is not configured");
	}

	@Test
	void audienceMismatchIsForbidden() {
		// Ex 47
		TestRule rule = TestRule.ra1().audiences("api.example.com");
		assertThat(send(rule, token("aud", "web"))).isRejected(403, "Audiences in Jwt are not allowed");
		assertThat(send(rule, token("aud", List.of("web", "https://api.example.com/")))).isAuthenticated();
		assertThat(send(rule, token())).isRejected(403, "Audiences in Jwt are not allowed");
	}

	@Test
	void audiencesAreSanitisedOnBothSides() {
		TestRule rule = TestRule.ra1().audiences("http://api/");
		assertThat(send(rule, token("aud", "api"))).isAuthenticated();
		assertThat(send(rule, token("aud", "https://api"))).isAuthenticated();
		assertThat(send(rule, token("aud", "API"))).isRejected(403, "Audiences in Jwt are not allowed");
		assertThat(send(rule, token("aud", "api//"))).isRejected(403, "Audiences in Jwt are not allowed");
	}

	@Test
	void emptyAudiencesAcceptAnyAudienceOrNone() {
		// D1
		assertThat(send(token("aud", "anything"))).isAuthenticated();
		assertThat(send(token())).isAuthenticated();
	}

	@Test
	void audienceIsCheckedBeforeTheSignature() {
		// Ex 48: a forged token with a wrong aud gets 403, not 401.
		String forged = TestTokens.sign(TestTokens.IMPOSTOR, JWSAlgorithm.RS256, "k1", TestTokens.claims("aud", "x"));
		assertThat(send(TestRule.ra1().audiences("api"), forged)).isRejected(403, "Audiences in Jwt are not allowed");
	}

	@Test
	void expiryIsCheckedBeforeTheSignature() {
		String forged = TestTokens.sign(TestTokens.IMPOSTOR, JWSAlgorithm.RS256, "k1",
				TestTokens.claims("exp", NOW_S - 3600));
		assertThat(send(forged)).isRejectedWith("Jwt is expired");
	}

	@Test
	void tokenSignedByAnotherKeyWithTheSameKidFailsVerification() {
		// Ex 49
		String forged = TestTokens.sign(TestTokens.IMPOSTOR, JWSAlgorithm.RS256, "k1", TestTokens.claims());
		assertThat(send(forged)).isRejectedWith("Jwt verification fails");
	}

	@Test
	void unknownKidHasNoMatchingKey() {
		// Ex 49
		String token = TestTokens.sign(K1, JWSAlgorithm.RS256, "k9", TestTokens.claims());
		assertThat(send(token)).isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
	}

	@Test
	void tokenWithoutKidTriesEveryKey() {
		TestRule rule = TestRule.issuer(ISSUER).jwks(TestTokens.jwks(TestTokens.B_KEY, K1));
		assertThat(send(rule, TestTokens.sign(K1, JWSAlgorithm.RS256, null, TestTokens.claims()))).isAuthenticated();
	}

	@Test
	void keyWithoutKidMatchesATokenWithKid() throws Exception {
		RSAKey noKid = new RSAKey.Builder(K1.toRSAPublicKey()).build();
		TestRule rule = TestRule.issuer(ISSUER).jwks(TestTokens.jwks(noKid));
		assertThat(send(rule, token())).isAuthenticated();
	}

	@Test
	void keyWhoseAlgDiffersIsNotSelected() throws Exception {
		RSAKey rs512Only = new RSAKey.Builder(K1.toRSAPublicKey()).keyID("k1").algorithm(JWSAlgorithm.RS512).build();
		TestRule rule = TestRule.issuer(ISSUER).jwks(TestTokens.jwks(rs512Only));
		assertThat(send(rule, token())).isRejectedWith("Jwks doesn't have key to match kid or alg from Jwt");
		String rs512 = TestTokens.sign(K1, JWSAlgorithm.RS512, "k1", TestTokens.claims());
		assertThat(send(rule, rs512)).isAuthenticated();
	}

	@Test
	void hs256SignedWithTheRsaPublicKeyAsSecretFails() throws Exception {
		// The classic algorithm confusion: an HS256 token must never be verified with an
		// RSA key.
		byte[] publicKeyBytes = K1.toRSAPublicKey().getEncoded();
		OctetSequenceKey secret = new OctetSequenceKey.Builder(publicKeyBytes).build();
		String confused = TestTokens.sign(secret, JWSAlgorithm.HS256, "k1", TestTokens.claims());
		assertThat(send(confused)).isRejectedWith("Jwt verification fails");
		String confusedPem = TestTokens
			.sign(new OctetSequenceKey.Builder(TestTokens.jwks(K1).getBytes(java.nio.charset.StandardCharsets.UTF_8))
				.build(), JWSAlgorithm.HS256, null, TestTokens.claims());
		assertThat(send(confusedPem)).isRejectedWith("Jwt verification fails");
	}

	@Test
	void ecKeysVerifyEs256AndNothingElse() {
		ECKey ec = TestTokens.EC;
		TestRule rule = TestRule.issuer(ISSUER).jwks(TestTokens.jwks(ec));
		assertThat(send(rule, TestTokens.sign(ec, JWSAlgorithm.ES256, "e1", TestTokens.claims()))).isAuthenticated();
		assertThat(send(rule, TestTokens.sign(K1, JWSAlgorithm.RS256, "e1", TestTokens.claims())))
			.isRejectedWith("Jwt verification fails");
	}

	@Test
	void rsaKeysVerifyPs256() {
		assertThat(send(TestTokens.sign(K1, JWSAlgorithm.PS256, "k1", TestTokens.claims()))).isAuthenticated();
	}

	@Test
	void octKeysOfTheJwksVerifyHs256() throws Exception {
		OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("s1").generate();
		TestRule rule = TestRule.issuer(ISSUER).jwks(TestTokens.jwks(secret));
		assertThat(send(rule, TestTokens.sign(secret, JWSAlgorithm.HS256, "s1", TestTokens.claims())))
			.isAuthenticated();
	}

	@Test
	void emptyKeySetHasNoValidPublicKey() {
		TestRule rule = TestRule.issuer(ISSUER).jwks("{\"keys\":[]}");
		assertThat(send(rule, token())).isRejectedWith("Jwks doesn't have any valid public key");
	}

	@Test
	void singleJwkIsAcceptedAsAKeySet() {
		TestRule rule = TestRule.issuer(ISSUER).jwks(K1.toPublicJWK().toJSONString());
		assertThat(send(rule, token())).isAuthenticated();
	}

	@Test
	void privateKeyMaterialInTheJwksIsNotKept() {
		TestRule rule = TestRule.issuer(ISSUER).jwks(new com.nimbusds.jose.jwk.JWKSet(K1).toString(false));
		assertThat(send(rule, token())).isAuthenticated();
		assertThat(this.keys.forRule(rule.build()).known().set().getKeys()).allMatch((key) -> !key.isPrivate());
	}

	@Test
	void decoderReturnsSpringsJwtWithConvertedClaims() {
		JwtAuthenticator authenticator = authenticator(TestRule.ra1());
		Jwt jwt = authenticator.decoders().get(0).decode(token("aud", "web", "scope", "read write"));
		assertThat(jwt.getSubject()).isEqualTo("alice");
		assertThat(jwt.getIssuer().toString()).isEqualTo(ISSUER);
		assertThat(jwt.getExpiresAt()).isEqualTo(NOW.plusSeconds(3600));
		assertThat(jwt.getAudience()).containsExactly("web");
		assertThat(jwt.getHeaders()).containsEntry("kid", "k1");
	}

	@Test
	void decoderThrowsABadJwtExceptionWithIstiosStatus() {
		IstioRuleJwtDecoder decoder = authenticator(TestRule.ra1().audiences("api")).decoders().get(0);
		assertThatExceptionOfType(IstioJwtException.class).isThrownBy(() -> decoder.decode(token("exp", NOW_S - 100)))
			.isInstanceOf(BadJwtException.class)
			.withMessage("Jwt is expired")
			.satisfies((ex) -> assertThat(ex.httpStatus()).isEqualTo(401));
		String token = token("aud", "web");
		assertThatExceptionOfType(IstioJwtException.class).isThrownBy(() -> decoder.decode(token))
			.withMessage("Audiences in Jwt are not allowed")
			.withMessageNotContaining(token)
			.satisfies((ex) -> assertThat(ex.httpStatus()).isEqualTo(403));
	}

	@Test
	void claimsKeepJsonTypes() {
		JwtOutcome outcome = send(token("level", 1.5, "n", 5, "flag", true, "obj", Map.of("a", "b")));
		assertThat(outcome.claims()).containsEntry("level", 1.5)
			.containsEntry("n", 5L)
			.containsEntry("flag", true)
			.containsEntry("obj", Map.of("a", "b"));
	}

}
