package io.github.istiosecurity.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An issuer with a key generated for the test run: its RequestAuthentication (the public
 * key as inline {@code jwks}) is written to a directory of its own, and it signs real
 * tokens.
 */
final class TestIssuer {

	static final String ISSUER = "https://idp.example.com";

	private final ECKey key;

	private final Path directory;

	private TestIssuer(ECKey key, Path directory) {
		this.key = key;
		this.directory = directory;
	}

	/**
	 * Generates a key and writes the RequestAuthentication of the foo/httpbin workload
	 * that trusts it.
	 */
	static TestIssuer start() {
		try {
			ECKey key = generate("test-key");
			Path directory = Files.createTempDirectory("istio-jwt");
			Files.writeString(directory.resolve("httpbin-jwt.yaml"), """
					apiVersion: security.istio.io/v1
					kind: RequestAuthentication
					metadata:
					  name: jwt
					  namespace: foo
					spec:
					  selector:
					    matchLabels:
					      app: httpbin
					  jwtRules:
					  - issuer: "%s"
					    jwks: '%s'
					""".formatted(ISSUER, new JWKSet(key.toPublicJWK())));
			return new TestIssuer(key, directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The {@code file:} pattern of the RequestAuthentication. */
	String location() {
		return "file:" + this.directory + "/*.yaml";
	}

	/** A token of this issuer for the subject, valid for an hour. */
	String token(String subject) {
		return sign(this.key, subject, Instant.now().plusSeconds(3600));
	}

	/** A token of this issuer for the subject, expiring at the given time. */
	String token(String subject, Instant expiry) {
		return sign(this.key, subject, expiry);
	}

	/**
	 * A token that claims this issuer but is signed by another key with the same key id.
	 */
	String forgedToken(String subject) {
		return sign(generate("test-key"), subject, Instant.now().plusSeconds(3600));
	}

	private static String sign(ECKey key, String subject, Instant expiry) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject(subject)
			.expirationTime(Date.from(expiry))
			.claim("groups", List.of("staff"))
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new ECDSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ECKey generate(String kid) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
