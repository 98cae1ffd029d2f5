import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the demo JWKS and demo tokens of the httpbin sample, with the JDK alone.
 * <p>
 * Run from the repository root (or from {@code sample-httpbin/demo}):
 * <pre>
 * java sample-httpbin/demo/DemoTokens.java             # (re)write jwks.json and tokens/*.jwt from demo-key.pem
 * java sample-httpbin/demo/DemoTokens.java --new-key   # first make a new RSA 2048 demo-key.pem
 * </pre>
 * RS256 (PKCS#1 v1.5) signatures are deterministic and no token carries {@code iat}, so running it again with
 * the same key gives byte-identical files. <b>The key is a demo key, published on purpose; never trust it.</b>
 * After {@code --new-key}, copy {@code tokens/jwks.json} into the {@code jwks:} of
 * {@code src/main/resources/istio/httpbin-jwt.yaml} (a test checks that they are equal).
 */
public class DemoTokens {

	/** The issuer of Istio's own JWT demo ("JWT Token" task), so the walk-through reads like Istio's. */
	static final String ISSUER = "testing@secure.istio.io";

	/** The key id, written into the JWKS and into every token header. */
	static final String KID = "httpbin-demo-2048";

	/** Far future (2118-06-30T21:41:40Z), like Istio's demo token; Istio never requires {@code exp} anyway. */
	static final long FAR_FUTURE = 4685989700L;

	/** 2020-01-01T00:00:00Z: long past, beyond any clock skew. */
	static final long PAST = 1577836800L;

	public static void main(String[] args) throws Exception {
		Path dir = demoDirectory();
		Path keyFile = dir.resolve("demo-key.pem");
		if (Arrays.asList(args).contains("--new-key")) {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			Files.writeString(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
			System.err.println("wrote a new demo key to " + keyFile);
		}
		RSAPrivateCrtKey key = readKey(keyFile);
		Path tokens = Files.createDirectories(dir.resolve("tokens"));

		String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":" + json(KID) + ",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":"
				+ json(b64(unsigned(key.getModulus()))) + ",\"e\":" + json(b64(unsigned(key.getPublicExponent()))) + "}]}";
		write(tokens.resolve("jwks.json"), jwks);
		System.out.println("jwks.json:\n" + jwks + "\n");

		Map<String, String> files = new LinkedHashMap<>();
		// Allowed by the demo AuthorizationPolicy to GET anything.
		files.put("user1.jwt", sign(key, claims(ISSUER, "user1", FAR_FUTURE, null)));
		// Allowed by the demo AuthorizationPolicy to use /status/* with any method.
		files.put("user2.jwt", sign(key, claims(ISSUER, "user2", FAR_FUTURE, null)));
		// user1, but expired: 401 "Jwt is expired" (§2.6) whatever the policy says.
		files.put("expired.jwt", sign(key, claims(ISSUER, "user1", PAST, null)));
		// A valid token of a user no rule names, with groups and scope for claims-based rules: 403.
		files.put("user3-groups.jwt", sign(key, claims(ISSUER, "user3", FAR_FUTURE,
				"\"groups\":[\"group1\",\"group2\"],\"scope\":\"read write\"")));
		// An operator (groups: operators): demo/operators.yaml lets it use the istio actuator endpoint.
		files.put("operator.jwt", sign(key, claims(ISSUER, "ops1", FAR_FUTURE, "\"groups\":[\"operators\"]")));
		// Signed with the demo key but by an issuer no RequestAuthentication lists: 401 "Jwt issuer is not configured".
		files.put("other-issuer.jwt", sign(key, claims("other@example.com", "user1", FAR_FUTURE, null)));
		// user2's header and signature around user1's payload: 401 "Jwt verification fails".
		files.put("tampered.jwt", tamper(files.get("user2.jwt"), files.get("user1.jwt")));

		for (Map.Entry<String, String> entry : files.entrySet()) {
			write(tokens.resolve(entry.getKey()), entry.getValue());
			System.out.println(entry.getKey() + ":\n" + entry.getValue() + "\n");
		}
	}

	/** Finds {@code sample-httpbin/demo} from the repository root, the module or the demo directory itself. */
	static Path demoDirectory() {
		for (String candidate : List.of("sample-httpbin/demo", "demo", ".")) {
			Path dir = Path.of(candidate);
			if (Files.isRegularFile(dir.resolve("DemoTokens.java"))) {
				return dir;
			}
		}
		throw new IllegalStateException("run from the repository root, sample-httpbin or sample-httpbin/demo");
	}

	/** Claims in a fixed order (the token bytes are part of the commit), {@code extra} is raw JSON members. */
	static String claims(String issuer, String subject, long exp, String extra) {
		return "{\"iss\":" + json(issuer) + ",\"sub\":" + json(subject) + ",\"exp\":" + exp
				+ ((extra != null) ? "," + extra : "") + "}";
	}

	static String sign(PrivateKey key, String claims) throws Exception {
		String header = "{\"alg\":\"RS256\",\"kid\":" + json(KID) + ",\"typ\":\"JWT\"}";
		String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "."
				+ b64(claims.getBytes(StandardCharsets.UTF_8));
		Signature signature = Signature.getInstance("SHA256withRSA");
		signature.initSign(key);
		signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
		return signingInput + "." + b64(signature.sign());
	}

	/** The header and signature of {@code signed} around the payload of {@code payloadFrom}. */
	static String tamper(String signed, String payloadFrom) {
		String[] parts = signed.split("\\.");
		return parts[0] + "." + payloadFrom.split("\\.")[1] + "." + parts[2];
	}

	static RSAPrivateCrtKey readKey(Path file) throws Exception {
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException(file + " is missing; run with --new-key to make one");
		}
		String base64 = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		KeyFactory factory = KeyFactory.getInstance("RSA");
		RSAPrivateCrtKey key = (RSAPrivateCrtKey) factory
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
		// Fail early on a key that is not what the JWKS will claim.
		factory.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
		if (key.getModulus().bitLength() != 2048) {
			throw new IllegalStateException("expected an RSA 2048 key, got " + key.getModulus().bitLength() + " bits");
		}
		return key;
	}

	static String pem(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
	}

	/** JWK integers are unsigned big-endian (RFC 7518 §6.3.1); BigInteger may add a leading zero byte. */
	static byte[] unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		return (bytes.length > 1 && bytes[0] == 0) ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
	}

	static String b64(byte[] bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** A JSON string; the values here are plain ASCII, but quote and backslash are escaped all the same. */
	static String json(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	static void write(Path file, String content) throws IOException {
		Files.writeString(file, content + "\n");
	}

}
