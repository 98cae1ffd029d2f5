package io.github.istiosecurity.internal.jwt;

import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.B_KEY;
import static io.github.istiosecurity.internal.jwt.TestTokens.EC;
import static io.github.istiosecurity.internal.jwt.TestTokens.K1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key set's thumbprints and verifiers are prepared once, when the set arrives, so that
 * verifying a token neither converts its key again nor, when the verified token is
 * cached, serializes and hashes the key.
 */
class KnownKeysTests extends JwtTestSupport {

	@Test
	void eachKeyOfTheSetHasItsRfc7638Thumbprint() throws Exception {
		RuleKeySource.KnownKeys known = RuleKeySource.KnownKeys.of(new JWKSet(List.of(K1, B_KEY, EC)));
		for (JWK key : known.set().getKeys()) {
			assertThat(known.thumbprintOf(key)).isEqualTo(key.computeThumbprint().toString());
		}
		assertThat(known.thumbprints()).hasSize(3);
	}

	@Test
	void thumbprintOfAKeyOfTheSetIsNotComputedAgain() {
		RuleKeySource.KnownKeys known = RuleKeySource.KnownKeys.of(new JWKSet(List.of(K1, B_KEY)));
		for (JWK key : known.set().getKeys()) {
			assertThat(known.thumbprintOf(key)).isSameAs(known.thumbprintOf(key));
		}
	}

	@Test
	void eachKeyHasOneVerifierForEveryAlgorithmOfItsFamily() {
		RuleKeySource.KnownKeys known = RuleKeySource.KnownKeys.of(new JWKSet(K1.toPublicJWK()));
		JWK key = known.set().getKeys().get(0);
		assertThat(known.verifierOf(key)).isNotNull().isSameAs(known.verifierOf(key));
		for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
				JWSAlgorithm.PS256, JWSAlgorithm.PS512)) {
			ParsedToken token = ParsedToken.parse(TestTokens.sign(K1, algorithm, "k1", TestTokens.claims()));
			assertThat(TokenSignature.verifies(token, key, known.verifierOf(key))).as(algorithm.getName()).isTrue();
		}
		ParsedToken es256 = ParsedToken.parse(TestTokens.sign(EC, JWSAlgorithm.ES256, "k1", TestTokens.claims()));
		assertThat(TokenSignature.verifies(es256, key, known.verifierOf(key))).isFalse();
	}

	@Test
	void secretTooShortForHmacHasNoVerifierAndVerifiesNothing() {
		OctetSequenceKey shortSecret = new OctetSequenceKey.Builder(new byte[16]).keyID("s1").build();
		RuleKeySource.KnownKeys known = RuleKeySource.KnownKeys.of(new JWKSet(shortSecret));
		assertThat(known.verifierOf(shortSecret)).isNull();
		// An RS256 token with its header swapped for HS256: well formed, signature never
		// checked.
		String[] pieces = TestTokens.sign(K1, JWSAlgorithm.RS256, "s1", TestTokens.claims()).split("\\.");
		ParsedToken hs256 = ParsedToken.parse(hs256Header() + "." + pieces[1] + "." + pieces[2]);
		assertThat(hs256.algorithm).isEqualTo("HS256");
		assertThat(TokenSignature.verifies(hs256, shortSecret, known.verifierOf(shortSecret))).isFalse();
	}

	private static String hs256Header() {
		return java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("{\"alg\":\"HS256\",\"kid\":\"s1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	@Test
	void keyFromOutsideTheSetStillGetsItsThumbprint() throws Exception {
		RuleKeySource.KnownKeys known = RuleKeySource.KnownKeys.of(new JWKSet(K1));
		assertThat(known.thumbprintOf(B_KEY)).isEqualTo(B_KEY.computeThumbprint().toString());
		assertThat(known.thumbprints()).doesNotContain(known.thumbprintOf(B_KEY));
	}

	@Test
	void tokenSignedByTheSecondKeyOfASetIsCachedThenServedFromTheCache() {
		TestRule rule = TestRule.ra1().jwks(TestTokens.jwks(K1, B_KEY));
		JwtAuthenticator authenticator = authenticator(rule);
		String token = TestTokens.sign(B_KEY, JWSAlgorithm.RS256, "b1", TestTokens.claims());
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(authenticator.authenticate(FakeTokenRequest.bearer(token))).isAuthenticated();
		assertThat(this.keys.forRule(rule.build()).lookups()).isEqualTo(1);
		assertThat(this.cache.estimatedSize()).isEqualTo(1);
	}

}
