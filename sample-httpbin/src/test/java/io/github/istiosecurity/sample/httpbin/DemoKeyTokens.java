package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * Tokens signed on the fly with the published demo key ({@code demo/demo-key.pem}, the
 * key of the committed demo tokens and of the inline JWKS of {@code httpbin-jwt.yaml}),
 * for cases the committed tokens do not cover, such as very large tokens. Same header as
 * {@code DemoTokens.java}: RS256, {@code kid} {@code httpbin-demo-2048}.
 */
final class DemoKeyTokens {

	static final String ISSUER = "testing@secure.istio.io";

	/** 2118-06-30T21:41:40Z, as the committed tokens. */
	static final long FAR_FUTURE = 4685989700L;

	private static final String HEADER = "{\"alg\":\"RS256\",\"kid\":\"httpbin-demo-2048\",\"typ\":\"JWT\"}";

	private DemoKeyTokens() {
	}

	/**
	 * Signs a payload with the demo key.
	 * @param payloadJson the claims as JSON text
	 * @return the compact token
	 */
	static String sign(String payloadJson) {
		String signingInput = b64(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
				+ b64(payloadJson.getBytes(StandardCharsets.UTF_8));
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(demoKey());
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + b64(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Returns user1's claims (allowed to GET anything by the demo policy) with
	 * {@code groups} group names, to make the token as large as needed.
	 * @param groups the number of group names
	 * @return the JSON text
	 */
	static String user1WithGroups(int groups) {
		return user1WithGroups(groups, "");
	}

	/**
	 * Returns user1's claims with {@code groups} group names and a {@code jti}, to make
	 * distinct large tokens.
	 * @param groups the number of group names
	 * @param jti the token id, none if empty
	 * @return the JSON text
	 */
	static String user1WithGroups(int groups, String jti) {
		StringBuilder json = new StringBuilder("{\"iss\":\"" + ISSUER + "\",\"sub\":\"user1\",\"exp\":" + FAR_FUTURE
				+ (jti.isEmpty() ? "" : ",\"jti\":\"" + jti + "\"") + ",\"groups\":[");
		for (int i = 0; i < groups; i++) {
			json.append((i > 0) ? "," : "").append("\"group-").append(String.format("%05d", i)).append('"');
		}
		return json.append("]}").toString();
	}

	private static volatile @Nullable PrivateKey key;

	private static PrivateKey demoKey() throws GeneralSecurityException {
		PrivateKey known = key;
		if (known == null) {
			known = readDemoKey();
			key = known;
		}
		return known;
	}

	private static PrivateKey readDemoKey() throws GeneralSecurityException {
		try {
			String pem = Files.readString(Path.of("demo", "demo-key.pem"));
			String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
			return KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String b64(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
