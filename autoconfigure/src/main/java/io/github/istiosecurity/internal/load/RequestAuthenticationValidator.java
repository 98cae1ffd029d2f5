package io.github.istiosecurity.internal.load;

import java.util.List;
import java.util.Objects;

/**
 * Istio's webhook validation of a {@code RequestAuthentication} spec
 * ({@code ValidateRequestAuthentication}, {@code validateJwtRule},
 * {@code warnPrivateJwksKeys}; §2.2). Runs on the decoded tree, skipping values of the
 * wrong type (the schema reported them).
 */
final class RequestAuthenticationValidator {

	private RequestAuthenticationValidator() {
	}

	/**
	 * Validates a spec.
	 * @param spec the spec
	 * @param specPath the path of the spec
	 * @param problems where problems are reported
	 */
	static void validate(YamlNode.Mapping spec, String specPath, Problems problems) {
		SelectorValidator.validate(spec, specPath, problems, true);
		YamlNode.Sequence rules = spec.sequence("jwtRules");
		if (rules == null) {
			return;
		}
		for (int i = 0; i < rules.items().size(); i++) {
			if (rules.items().get(i) instanceof YamlNode.Mapping rule) {
				validateJwtRule(rule, Schema.child(specPath, "jwtRules") + "[" + i + "]", problems);
			}
		}
	}

	private static void validateJwtRule(YamlNode.Mapping rule, String path, Problems problems) {
		eachEmpty(rule, "audiences", path, problems, "audience must be non-empty string");
		String issuer = Objects.requireNonNullElse(rule.string("issuer"), "");
		// jsonpb reads both jwksUri and the proto name jwks_uri into JwksUri (§1.1).
		String uriField = rule.has("jwksUri") ? "jwksUri" : "jwks_uri";
		String jwksUri = Objects.requireNonNullElse(rule.string(uriField), "");
		if (issuer.isEmpty() && jwksUri.isEmpty()) {
			problems.error(rule.line(), path, "issuer or jwksUri must be non-empty string");
		}
		if (!jwksUri.isEmpty()) {
			String scheme = scheme(jwksUri);
			if (!scheme.equals("http") && !scheme.equals("https")) {
				problems.error(rule.keyLine(uriField), path + "." + uriField,
						"URI scheme \"" + scheme + "\" is not supported");
			}
		}
		String jwks = rule.string("jwks");
		if (jwks != null && !jwks.isEmpty()) {
			int line = rule.keyLine("jwks");
			JwksValidator.Result result = JwksValidator.check(jwks);
			if (result.error() != null) {
				problems.error(line, path + ".jwks", "jwks parse error: " + result.error());
			}
			for (int index : result.privateKeyIndexes()) {
				problems.warning(line, path + ".jwks", "jwks key at index " + index
						+ " contains private key material; only public keys are used for verification");
			}
		}
		YamlNode.Sequence headers = rule.sequence("fromHeaders");
		if (headers != null) {
			for (int k = 0; k < headers.items().size(); k++) {
				YamlNode item = headers.items().get(k);
				String itemPath = path + ".fromHeaders[" + k + "]";
				if (!(item instanceof YamlNode.Mapping header)) {
					problems.error(item.line(), itemPath, "location header name must be non-null");
				}
				else if (header.string("name") == null || header.string("name").isEmpty()) {
					problems.error(header.line(), itemPath + ".name", "location header name must be non-empty string");
				}
			}
		}
		eachEmpty(rule, "fromParams", path, problems, "location query must be non-empty string");
		eachEmpty(rule, "fromCookies", path, problems, "cookie name must be non-empty string");
		YamlNode.Sequence outputs = rule.sequence("outputClaimToHeaders");
		if (outputs != null) {
			for (int k = 0; k < outputs.items().size(); k++) {
				validateClaimToHeader(outputs.items().get(k), path + ".outputClaimToHeaders[" + k + "]", problems);
			}
		}
		String timeout = rule.string("timeout");
		if (timeout != null) {
			Long nanos = GoDuration.parseNanos(timeout);
			int line = rule.keyLine("timeout");
			if (nanos != null && nanos < 1_000_000L) {
				problems.error(line, path + ".timeout", "duration must be greater than 1ms");
			}
			else if (nanos != null && nanos % 1_000_000L != 0) {
				problems.error(line, path + ".timeout", "only durations to ms precision are supported");
			}
		}
	}

	private static void validateClaimToHeader(YamlNode item, String path, Problems problems) {
		if (!(item instanceof YamlNode.Mapping output)) {
			problems.error(item.line(), path, "outputClaimToHeaders must not be null");
			return;
		}
		String claim = output.string("claim");
		String header = output.string("header");
		if (claim == null || claim.isEmpty() || header == null || header.isEmpty()) {
			problems.error(output.line(), path, "outputClaimToHeaders header and claim value must be non-empty string");
			return;
		}
		if (!header.matches(CrdSchemas.HEADER_PATTERN)) {
			problems.error(output.keyLine("header"), path + ".header",
					"header name " + header + " is not a valid header name");
		}
	}

	private static void eachEmpty(YamlNode.Mapping rule, String field, String path, Problems problems, String message) {
		YamlNode.Sequence sequence = rule.sequence(field);
		if (sequence == null) {
			return;
		}
		List<YamlNode> items = sequence.items();
		for (int k = 0; k < items.size(); k++) {
			if (items.get(k) instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.STRING
					&& scalar.value().isEmpty()) {
				problems.error(scalar.line(), path + "." + field + "[" + k + "]", message);
			}
		}
	}

	/**
	 * The scheme as Go's {@code url.Parse} finds it: letters, digits, {@code + - .}
	 * before the first colon.
	 */
	private static String scheme(String uri) {
		int colon = uri.indexOf(':');
		if (colon <= 0 || !Character.isLetter(uri.charAt(0))) {
			return "";
		}
		String scheme = uri.substring(0, colon);
		return scheme.chars().allMatch((c) -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')
				? scheme.toLowerCase(java.util.Locale.ROOT) : "";
	}

}
