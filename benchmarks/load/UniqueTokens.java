import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Writes N distinct valid demo tokens, one a line, for a load run in which every request carries a token the
 * application has never verified (issue 18, "unique tokens"), with the JDK alone.
 * <p>
 * Run from the repository root:
 * <pre>
 * java benchmarks/load/UniqueTokens.java /tmp/unique-tokens.txt            # 10,000 tokens
 * java benchmarks/load/UniqueTokens.java /tmp/unique-tokens.txt 50000      # as many as asked
 * </pre>
 * Every token is RS256, signed with {@code sample-httpbin/demo/demo-key.pem} (the demo key, published on
 * purpose) for issuer {@code testing@secure.istio.io}, {@code sub: user1} (the one principal the demo policy
 * lets GET anything) and {@code exp} far in the future, exactly like {@code tokens/user1.jwt}. What makes the
 * tokens distinct is a {@code jti} made of a random run id and the token's number, so two files never share a
 * token and an application that is not restarted still sees new ones. Use them with
 * {@code benchmarks/load/unique-tokens.lua}.
 */
public class UniqueTokens {

	static final String ISSUER = "testing@secure.istio.io";

	/** The demo key id, as in the demo JWKS of {@code httpbin-jwt.yaml}. */
	static final String KID = "httpbin-demo-2048";

	/** 2118-06-30T21:41:40Z, as the demo tokens. */
	static final long FAR_FUTURE = 4685989700L;

	public static void main(String[] args) throws Exception {
		if (args.length < 1 || args.length > 2) {
			System.err.println("usage: java benchmarks/load/UniqueTokens.java <output file> [count, default 10000]");
			System.exit(2);
		}
		Path out = Path.of(args[0]);
		int count = (args.length > 1) ? Integer.parseInt(args[1]) : 10_000;
		if (count < 1) {
			throw new IllegalArgumentException("count must be positive");
		}
		PrivateKey key = readKey(demoKey());
		byte[] run = new byte[4];
		new SecureRandom().nextBytes(run);
		String runId = HexFormat.of().formatHex(run);
		long start = System.nanoTime();
		// An RSA 2048 signature takes about a millisecond: sign on every core.
		List<String> tokens = IntStream.range(0, count)
			.parallel()
			.mapToObj((i) -> sign(key, claims(runId + "-" + i)))
			.toList();
		Files.write(out, tokens, StandardCharsets.US_ASCII);
		System.err.printf("wrote %d tokens (run %s) to %s in %d ms%n", count, runId, out,
				(System.nanoTime() - start) / 1_000_000);
	}

	/** The claims of {@code tokens/user1.jwt} and a unique {@code jti}; no {@code iat}, as the demo tokens. */
	static String claims(String jti) {
		return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"user1\",\"exp\":" + FAR_FUTURE + ",\"jti\":\"" + jti + "\"}";
	}

	static String sign(PrivateKey key, String claims) {
		try {
			String header = "{\"alg\":\"RS256\",\"kid\":\"" + KID + "\",\"typ\":\"JWT\"}";
			String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
					+ b64(claims.getBytes(StandardCharsets.UTF_8));
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(key);
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + b64(signature.sign());
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Finds the demo key from the repository root or from {@code benchmarks/load}. */
	static Path demoKey() {
		for (String candidate : List.of("sample-httpbin/demo/demo-key.pem", "../../sample-httpbin/demo/demo-key.pem")) {
			Path file = Path.of(candidate);
			if (Files.isRegularFile(file)) {
				return file;
			}
		}
		throw new IllegalStateException("run from the repository root: sample-httpbin/demo/demo-key.pem not found");
	}

	static PrivateKey readKey(Path file) throws Exception {
		String base64 = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		PrivateKey key = KeyFactory.getInstance("RSA")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
		BigInteger modulus = ((java.security.interfaces.RSAPrivateKey) key).getModulus();
		if (modulus.bitLength() != 2048) {
			throw new IllegalStateException("expected the RSA 2048 demo key, got " + modulus.bitLength() + " bits");
		}
		return key;
	}

	static String b64(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
