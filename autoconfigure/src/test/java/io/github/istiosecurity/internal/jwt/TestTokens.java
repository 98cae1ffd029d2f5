package io.github.istiosecurity.internal.jwt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * Real keys and really signed tokens for the JWT tests (RA-1 of §7: issuer
 * {@code https://idp.example.com}, RSA key {@code k1}).
 */
final class TestTokens {

	static final String ISSUER = "https://idp.example.com";

	static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	static final RSAKey K1 = rsa("k1");

	/** Another RSA key that claims the same kid. */
	static final RSAKey IMPOSTOR = rsa("k1");

	static final RSAKey B_KEY = rsa("b1");

	static final ECKey EC = ec("e1");

	private TestTokens() {
	}

	static RSAKey rsa(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static ECKey ec(String kid) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The public JWKS of the keys, as Istio's {@code jwks} field holds it. */
	static String jwks(JWK... keys) {
		List<JWK> publicKeys = new ArrayList<>();
		for (JWK key : keys) {
			publicKeys.add((key instanceof OctetSequenceKey) ? key : key.toPublicJWK());
		}
		return new JWKSet(publicKeys).toString(false);
	}

	/** Claims of RA-1's examples: iss, sub and exp = now + 3600 unless overridden. */
	static Map<String, Object> claims(Object... namesAndValues) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", ISSUER);
		claims.put("sub", "alice");
		claims.put("exp", NOW.getEpochSecond() + 3600);
		for (int i = 0; i < namesAndValues.length; i += 2) {
			String name = (String) namesAndValues[i];
			Object value = namesAndValues[i + 1];
			if (value == null) {
				claims.remove(name);
			}
			else {
				claims.put(name, value);
			}
		}
		return claims;
	}

	/** A token signed with K1 (RS256, kid k1). */
	static String token(Object... namesAndValues) {
		return sign(K1, JWSAlgorithm.RS256, "k1", claims(namesAndValues));
	}

	static String sign(JWK key, JWSAlgorithm algorithm, @Nullable String kid, Map<String, Object> claims) {
		return sign(key, algorithm, kid, TokenJson.write(claims));
	}

	static String sign(JWK key, JWSAlgorithm algorithm, @Nullable String kid, String payloadJson) {
		try {
			JWSObject jws = new JWSObject(new JWSHeader.Builder(algorithm).keyID(kid).build(),
					new Payload(payloadJson));
			jws.sign(signer(key));
			return jws.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A standard Nimbus {@link SignedJWT}, to show tokens from ordinary libraries pass.
	 */
	static String signedJwt(RSAKey key, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static JWSSigner signer(JWK key) throws JOSEException {
		if (key instanceof RSAKey rsa) {
			return new RSASSASigner(rsa);
		}
		if (key instanceof ECKey ec) {
			return new ECDSASigner(ec);
		}
		if (key instanceof OctetSequenceKey oct) {
			return new MACSigner(oct);
		}
		throw new IllegalArgumentException("Unsupported key");
	}

	/**
	 * A token from raw segments: JSON texts are base64url-encoded, the signature is used
	 * as given.
	 */
	static String raw(String headerJson, String payloadJson, String signature) {
		return b64(headerJson) + "." + b64(payloadJson) + "." + signature;
	}

	static String b64(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	static String payloadSegment(String token) {
		return token.split("\\.")[1];
	}

}
