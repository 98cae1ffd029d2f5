package io.github.istiosecurity.internal.load;

import java.net.URI;
import java.net.URISyntaxException;

import io.github.istiosecurity.model.PolicyKind;
import org.jspecify.annotations.Nullable;

import static io.github.istiosecurity.internal.load.Schema.array;
import static io.github.istiosecurity.internal.load.Schema.bool;
import static io.github.istiosecurity.internal.load.Schema.object;
import static io.github.istiosecurity.internal.load.Schema.string;
import static io.github.istiosecurity.internal.load.Schema.strings;

/**
 * The {@code spec} schemas of the three kinds, transcribed from Istio's
 * {@code crd-all.gen.yaml} (identical for {@code v1} and {@code v1beta1}, §1.1): types,
 * enums, lengths, patterns, {@code maxItems} and the CEL rules.
 */
final class CrdSchemas {

	static final String GROUP_PATTERN = "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

	static final String KIND_PATTERN = "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";

	static final String HEADER_PATTERN = "^[-_A-Za-z0-9]+$";

	private static final Schema AUTHORIZATION_POLICY = authorizationPolicy();

	private static final Schema REQUEST_AUTHENTICATION = requestAuthentication();

	private static final Schema PEER_AUTHENTICATION = peerAuthentication();

	private CrdSchemas() {
	}

	static Schema spec(PolicyKind kind) {
		return switch (kind) {
			case AUTHORIZATION_POLICY -> AUTHORIZATION_POLICY;
			case REQUEST_AUTHENTICATION -> REQUEST_AUTHENTICATION;
			case PEER_AUTHENTICATION -> PEER_AUTHENTICATION;
		};
	}

	private static Schema authorizationPolicy() {
		Schema.ObjectSchema source = object();
		for (String field : new String[] { "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals",
				"namespaces", "notNamespaces", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks",
				"trustDomains", "notTrustDomains" }) {
			source.property(field, strings());
		}
		source.property("serviceAccounts", array(string().maxLength(320)).maxItems(16))
			.property("notServiceAccounts", array(string().maxLength(320)).maxItems(16))
			.rule((s) -> !(s.has("serviceAccounts") || s.has("notServiceAccounts")) || !(s.has("principals")
					|| s.has("notPrincipals") || s.has("namespaces") || s.has("notNamespaces")),
					"Cannot set serviceAccounts with namespaces or principals");
		Schema.ObjectSchema operation = object();
		for (String field : new String[] { "hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths",
				"notPaths" }) {
			operation.property(field, strings());
		}
		Schema.ObjectSchema condition = object().required("key", string())
			.property("values", strings())
			.property("notValues", strings());
		Schema.ObjectSchema rule = object().property("from", array(object().property("source", source)).maxItems(512))
			.property("to", array(object().property("operation", operation)))
			.property("when", array(condition));
		Schema.ObjectSchema spec = object().property("action", string().oneOf("ALLOW", "DENY", "AUDIT", "CUSTOM"))
			.property("provider", object().property("name", string()))
			.property("rules", array(rule).maxItems(512));
		return withTargets(spec);
	}

	private static Schema requestAuthentication() {
		Schema.ObjectSchema jwtRule = object().property("audiences", array(string().minLength(1)))
			.property("forwardOriginalToken", bool())
			.property("fromCookies", array(string().minLength(1)))
			.property("fromHeaders",
					array(object().required("name", string().minLength(1)).property("prefix", string())))
			.property("fromParams", array(string().minLength(1)))
			.property("issuer", string().minLength(1))
			.property("jwks", string())
			.property("jwks_uri", jwksUri())
			.property("jwksUri", jwksUri())
			.property("outputClaimToHeaders",
					array(object().required("header", string().minLength(1).pattern(HEADER_PATTERN))
						.required("claim", string().minLength(1))))
			.property("outputPayloadToHeader", string())
			.property("presence", string().oneOf("OPTIONAL", "REQUIRED"))
			.property("spaceDelimitedClaims", array(string().minLength(1)).maxItems(64))
			.property("timeout", string().rule(CrdSchemas::checkTimeout))
			.rule((r) -> (r.has("jwksUri") ? 1 : 0) + (r.has("jwks_uri") ? 1 : 0) + (r.has("jwks") ? 1 : 0) <= 1,
					"only one of jwks or jwksUri can be set");
		return withTargets(object().property("jwtRules", array(jwtRule).maxItems(4096)));
	}

	private static Schema peerAuthentication() {
		Schema mode = string().oneOf("UNSET", "DISABLE", "PERMISSIVE", "STRICT");
		Schema.ObjectSchema portLevelMtls = object().additionalProperties(object().property("mode", mode))
			.minProperties(1)
			.rule(CrdSchemas::checkPorts);
		return object().property("mtls", object().property("mode", mode))
			.property("portLevelMtls", portLevelMtls)
			.property("selector", selector())
			.rule((spec) -> !spec.has("portLevelMtls") || hasLabels(spec), "portLevelMtls requires selector");
	}

	private static boolean hasLabels(YamlNode.Mapping spec) {
		YamlNode.Mapping selector = spec.mapping("selector");
		YamlNode.Mapping labels = (selector != null) ? selector.mapping("matchLabels") : null;
		return labels != null && !labels.entries().isEmpty();
	}

	/** CEL {@code self.all(key, 0 < int(key) && int(key) <= 65535)}. */
	private static void checkPorts(YamlNode.Mapping ports, String path, Problems problems) {
		boolean outOfRange = false;
		for (var entry : ports.entries().entrySet()) {
			long port;
			try {
				port = Long.parseLong(entry.getKey());
			}
			catch (NumberFormatException ex) {
				problems.error(entry.getValue().keyLine(), path + "." + entry.getKey(),
						"type conversion error from string to int for key '" + entry.getKey() + "'");
				continue;
			}
			outOfRange |= port <= 0 || port > 65535;
		}
		if (outOfRange) {
			problems.error(ports.line(), path, path + ": Invalid value: port must be between 1-65535");
		}
	}

	private static Schema.ObjectSchema withTargets(Schema.ObjectSchema spec) {
		return spec.property("selector", selector())
			.property("targetRef", targetRef())
			.property("targetRefs", array(targetRef()).maxItems(16))
			.rule((s) -> (s.has("selector") ? 1 : 0) + (s.has("targetRef") ? 1 : 0)
					+ (s.has("targetRefs") ? 1 : 0) <= 1, "only one of targetRefs or selector can be set");
	}

	static Schema.ObjectSchema selector() {
		Schema.ObjectSchema matchLabels = object()
			.additionalProperties(string().maxLength(63)
				.rule((value) -> value.contains("*") ? "wildcard not allowed in label value match" : null))
			.maxProperties(4096)
			.rule((labels) -> labels.entries().keySet().stream().noneMatch((key) -> key.contains("*")),
					"wildcard not allowed in label key match")
			.rule((labels) -> labels.entries().keySet().stream().noneMatch(String::isEmpty), "key must not be empty");
		return object().property("matchLabels", matchLabels);
	}

	private static Schema targetRef() {
		return object().property("group", string().maxLength(253).pattern(GROUP_PATTERN))
			.required("kind", string().minLength(1).maxLength(63).pattern(KIND_PATTERN))
			.required("name", string().minLength(1).maxLength(253))
			.property("namespace", string()
				.rule((value) -> value.isEmpty() ? null : "cross namespace referencing is not currently supported"));
	}

	private static Schema jwksUri() {
		return string().minLength(1).maxLength(2048).rule(CrdSchemas::checkUrlScheme);
	}

	/** CEL {@code url(self).getScheme() in ["http", "https"]}. */
	private static @Nullable String checkUrlScheme(String value) {
		try {
			String scheme = new URI(value).getScheme();
			if ("http".equals(scheme) || "https".equals(scheme)) {
				return null;
			}
		}
		catch (URISyntaxException ex) {
			// Not a URL: the CEL rule fails with the same message.
		}
		return "url must have scheme http:// or https://";
	}

	/** CEL {@code duration(self) >= duration('1ms')}. */
	private static @Nullable String checkTimeout(String value) {
		Long nanos = GoDuration.parseNanos(value);
		if (nanos == null) {
			return "must be a valid duration greater than 1ms (not a duration)";
		}
		return (nanos < 1_000_000L) ? "must be a valid duration greater than 1ms" : null;
	}

}
