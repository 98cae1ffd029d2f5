package io.github.istiosecurity.testsupport;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Real keys and really signed tokens for tests.
 */
public final class Tokens {

	private Tokens() {
	}

	public static RSAKey rsaKey(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static ECKey ecKey(String kid) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Signs the claims with the key (RS256 for RSA, ES256 for EC), adding exp = now + 1h
	 * unless given.
	 */
	public static String sign(JWK key, Map<String, Object> claims) {
		try {
			JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
			claims.forEach((name, value) -> builder.claim(name,
					(value instanceof Instant instant) ? Date.from(instant) : value));
			if (!claims.containsKey("exp")) {
				builder.expirationTime(Date.from(Instant.now().plusSeconds(3600)));
			}
			JWTClaimsSet set = builder.build();
			if (key instanceof RSAKey rsa) {
				SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(),
						set);
				jwt.sign(new RSASSASigner(rsa));
				return jwt.serialize();
			}
			ECKey ec = (ECKey) key;
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), set);
			jwt.sign(new ECDSASigner(ec));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An HS256 token whose HMAC secret is the RSA public key's encoded bytes (the classic
	 * key-confusion attack).
	 */
	public static String hs256WithPublicKey(RSAKey key, Map<String, Object> claims) {
		try {
			JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
			claims.forEach(builder::claim);
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
					builder.build());
			jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An unsigned token ({@code alg: none}). */
	public static String unsigned(Map<String, Object> claims) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
		claims.forEach(builder::claim);
		return new com.nimbusds.jwt.PlainJWT(builder.build()).serialize();
	}

}
