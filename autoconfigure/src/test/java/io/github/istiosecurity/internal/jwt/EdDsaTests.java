package io.github.istiosecurity.internal.jwt;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.util.Base64;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;

/**
 * {@code EdDSA} (Ed25519), which Envoy supports and Nimbus verifies only with Tink:
 * verified with the JDK.
 */
class EdDsaTests extends JwtTestSupport {

	@Test
	void ed25519TokenIsVerifiedWithAnOkpKey() throws Exception {
		KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519,
				Base64URL.encode(encode((EdECPublicKey) pair.getPublic())))
			.keyID("ed")
			.build();
		TestRule rule = TestRule.issuer(TestTokens.ISSUER).jwks(TestTokens.jwks(jwk));
		String token = sign(pair, "ed", TokenJson.write(TestTokens.claims()));
		assertThat(authenticate(rule, FakeTokenRequest.bearer(token)))
			.isAuthenticatedAs("https://idp.example.com/alice");
		KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		assertThat(authenticate(rule, FakeTokenRequest.bearer(sign(other, "ed", TokenJson.write(TestTokens.claims())))))
			.isRejectedWith("Jwt verification fails");
	}

	@Test
	void rsaKeyNeverVerifiesEdDsa() throws Exception {
		KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		// Same kid as RA-1's RSA key: selected, but an RSA key cannot verify EdDSA.
		assertThat(authenticate(TestRule.ra1(),
				FakeTokenRequest.bearer(sign(pair, "k1", TokenJson.write(TestTokens.claims())))))
			.isRejectedWith("Jwt verification fails");
	}

	private static String sign(KeyPair pair, String kid, String payload) throws Exception {
		String input = TestTokens.b64("{\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\"}") + "." + TestTokens.b64(payload);
		Signature signature = Signature.getInstance("Ed25519");
		signature.initSign(pair.getPrivate());
		signature.update(input.getBytes(StandardCharsets.US_ASCII));
		return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
	}

	/** RFC 8032 encoding: y little-endian, x parity in the top bit. */
	private static byte[] encode(EdECPublicKey key) {
		byte[] bigEndian = key.getPoint().getY().toByteArray();
		byte[] encoded = new byte[32];
		for (int i = 0; i < bigEndian.length && i < 32; i++) {
			encoded[i] = bigEndian[bigEndian.length - 1 - i];
		}
		if (key.getPoint().isXOdd()) {
			encoded[31] |= (byte) 0x80;
		}
		return encoded;
	}

}
