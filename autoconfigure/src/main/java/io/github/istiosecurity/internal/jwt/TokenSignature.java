package io.github.istiosecurity.internal.jwt;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a token's signature with one key, as jwt_verify_lib does (§2.6 step 5): RSA
 * keys only verify {@code RS*}/{@code PS*}, EC keys {@code ES*}, {@code oct} keys
 * {@code HS*}, Ed25519 keys {@code EdDSA}. So an {@code HS256} token is never checked
 * with an RSA public key used as an HMAC secret.
 */
final class TokenSignature {

	private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

	private TokenSignature() {
	}

	/**
	 * Builds the verifier of a key once, when its key set arrives: converting the JWK
	 * (base64url and {@code KeyFactory}) on every token made a verification a fifth
	 * slower than Nimbus' own. Nimbus' verifiers are thread-safe.
	 * @param key a key of a key set
	 * @return the verifier, or {@code null} for a key that verifies nothing (Ed25519 keys
	 * are verified with the JDK, see {@link #verifiesEd25519})
	 */
	static @Nullable JWSVerifier verifierOf(JWK key) {
		try {
			// The factory's choice for each kind of key; none depends on the algorithm
			// within the family, which verifies() checks.
			if (key instanceof RSAKey rsa) {
				return VERIFIERS.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), rsa.toRSAPublicKey());
			}
			if (key instanceof ECKey ec) {
				return VERIFIERS.createJWSVerifier(new JWSHeader(JWSAlgorithm.ES256), ec.toECPublicKey());
			}
			if (key instanceof OctetSequenceKey oct) {
				return VERIFIERS.createJWSVerifier(new JWSHeader(JWSAlgorithm.HS256), oct.toSecretKey("HmacSHA256"));
			}
			return null;
		}
		catch (JOSEException | RuntimeException ex) {
			// A key that cannot be used (too short a secret, a curve that does not fit)
			// verifies nothing.
			return null;
		}
	}

	static boolean verifies(ParsedToken token, JWK key, @Nullable JWSVerifier verifier) {
		String alg = token.algorithm;
		try {
			if (alg.equals("EdDSA")) {
				return (key instanceof OctetKeyPair okp) && verifiesEd25519(token, okp);
			}
			boolean family = (key instanceof RSAKey && (alg.startsWith("RS") || alg.startsWith("PS")))
					|| (key instanceof ECKey && alg.startsWith("ES"))
					|| (key instanceof OctetSequenceKey && alg.startsWith("HS"));
			if (!family || verifier == null) {
				return false;
			}
			// Only the algorithm goes into the header: Envoy ignores every other header
			// member (crit, b64, ...).
			JWSHeader header = new JWSHeader(JWSAlgorithm.parse(alg));
			return verifier.verify(header, token.signingInput(), Base64URL.encode(token.signature));
		}
		catch (JOSEException | RuntimeException ex) {
			// A key that cannot be used (too short a secret, a curve that does not fit)
			// verifies nothing.
			return false;
		}
	}

	/**
	 * Ed25519 with the JDK (Nimbus needs Tink for it); Envoy supports no other EdDSA
	 * curve.
	 */
	private static boolean verifiesEd25519(ParsedToken token, OctetKeyPair key) {
		if (!Curve.Ed25519.equals(key.getCurve())) {
			return false;
		}
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initVerify(ed25519PublicKey(key.getX().decode()));
			signature.update(token.signingInput());
			return signature.verify(token.signature);
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			return false;
		}
	}

	/** RFC 8032 §5.1.3: little-endian y with the parity of x in the top bit. */
	static PublicKey ed25519PublicKey(byte[] encoded) throws GeneralSecurityException {
		if (encoded.length != 32) {
			throw new GeneralSecurityException("An Ed25519 key has 32 bytes");
		}
		byte[] bigEndian = new byte[32];
		for (int i = 0; i < 32; i++) {
			bigEndian[i] = encoded[31 - i];
		}
		boolean xOdd = (bigEndian[0] & 0x80) != 0;
		bigEndian[0] &= 0x7F;
		EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
		return KeyFactory.getInstance("Ed25519")
			.generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
	}

}
