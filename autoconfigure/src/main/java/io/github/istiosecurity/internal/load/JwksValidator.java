package io.github.istiosecurity.internal.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks an inline {@code jwks} the way Istio's webhook does with {@code jwk.Parse}
 * (§2.2): a JWK set ({@code {"keys": [...]}}) or a single JWK, each key with a known
 * {@code kty} and its public parameters. Also finds keys with private material, which
 * Istio admits with a warning. Key material never appears in a message.
 */
final class JwksValidator {

	private static final ObjectMapper MAPPER = JsonMapper.builder().build();

	/** Members that only private (or symmetric) keys have. */
	private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth");

	private JwksValidator() {
	}

	/**
	 * The result of parsing a JWKS.
	 *
	 * @param error the parse error, or {@code null}
	 * @param privateKeyIndexes the indexes of keys that contain private key material
	 */
	record Result(@Nullable String error, List<Integer> privateKeyIndexes) {
	}

	static Result check(String jwks) {
		JsonNode root;
		try {
			root = MAPPER.readTree(jwks);
		}
		catch (JacksonException ex) {
			return new Result("failed to unmarshal JWK set: invalid JSON", List.of());
		}
		if (root == null || !root.isObject()) {
			return new Result("failed to unmarshal JWK set: not a JSON object", List.of());
		}
		List<JsonNode> keys = new ArrayList<>();
		if (root.has("keys")) {
			JsonNode array = root.get("keys");
			if (!array.isArray()) {
				return new Result("failed to unmarshal JWK set: \"keys\" is not an array", List.of());
			}
			array.forEach(keys::add);
		}
		else {
			keys.add(root);
		}
		List<Integer> privateKeys = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			JsonNode key = keys.get(i);
			String error = keyError(key);
			if (error != null) {
				return new Result("failed to parse key at index " + i + ": " + error, List.of());
			}
			if ("oct".equals(key.get("kty").asString()) || PRIVATE_MEMBERS.stream().anyMatch(key::has)) {
				privateKeys.add(i);
			}
		}
		return new Result(null, privateKeys);
	}

	private static @Nullable String keyError(JsonNode key) {
		if (!key.isObject()) {
			return "key is not a JSON object";
		}
		JsonNode kty = key.get("kty");
		if (kty == null || !kty.isString()) {
			return "missing \"kty\" field";
		}
		List<String> required = switch (kty.asString()) {
			case "RSA" -> List.of("n", "e");
			case "EC" -> List.of("crv", "x", "y");
			case "OKP" -> List.of("crv", "x");
			case "oct" -> List.of("k");
			default -> null;
		};
		if (required == null) {
			return "invalid key type \"" + kty.asString() + "\"";
		}
		for (String member : required) {
			JsonNode value = key.get(member);
			if (value == null || !value.isString()) {
				return "required field \"" + member + "\" is missing";
			}
		}
		return null;
	}

}
