package io.github.istiosecurity.internal.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.ClaimToHeader;
import io.github.istiosecurity.model.Condition;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.JwtHeader;
import io.github.istiosecurity.model.JwtRule;
import io.github.istiosecurity.model.MtlsMode;
import io.github.istiosecurity.model.ObjectMeta;
import io.github.istiosecurity.model.Operation;
import io.github.istiosecurity.model.PeerAuthentication;
import io.github.istiosecurity.model.PolicyKind;
import io.github.istiosecurity.model.PolicyOrigin;
import io.github.istiosecurity.model.PolicyTargetReference;
import io.github.istiosecurity.model.RequestAuthentication;
import io.github.istiosecurity.model.Rule;
import io.github.istiosecurity.model.Source;
import io.github.istiosecurity.model.WorkloadSelector;
import org.jspecify.annotations.Nullable;

/**
 * Maps a validated {@code spec} tree to the model records. It runs only on objects
 * without errors, so every value has the type the schema requires.
 */
final class PolicyMapper {

	private PolicyMapper() {
	}

	static IstioPolicy map(PolicyKind kind, String apiVersion, ObjectMeta metadata, PolicyOrigin origin,
			YamlNode.Mapping spec) {
		return switch (kind) {
			case AUTHORIZATION_POLICY -> new AuthorizationPolicy(apiVersion, metadata, origin, selector(spec),
					targetRefs(spec), Action.valueOf(stringOr(spec, "action", "ALLOW")), provider(spec),
					list(spec, "rules").stream().map((rule) -> rule((YamlNode.Mapping) rule)).toList());
			case REQUEST_AUTHENTICATION ->
				new RequestAuthentication(apiVersion, metadata, origin, selector(spec), targetRefs(spec),
						list(spec, "jwtRules").stream().map((rule) -> jwtRule((YamlNode.Mapping) rule)).toList());
			case PEER_AUTHENTICATION -> new PeerAuthentication(apiVersion, metadata, origin, selector(spec),
					mode(spec.mapping("mtls")), portLevelMtls(spec));
		};
	}

	private static @Nullable WorkloadSelector selector(YamlNode.Mapping spec) {
		YamlNode.Mapping selector = spec.mapping("selector");
		if (selector == null) {
			return null;
		}
		Map<String, String> labels = new LinkedHashMap<>();
		YamlNode.Mapping matchLabels = selector.mapping("matchLabels");
		if (matchLabels != null) {
			matchLabels.entries().forEach((key, entry) -> labels.put(key, ((YamlNode.Scalar) entry.value()).value()));
		}
		return new WorkloadSelector(labels);
	}

	private static List<PolicyTargetReference> targetRefs(YamlNode.Mapping spec) {
		YamlNode.Mapping legacy = spec.mapping("targetRef");
		List<YamlNode> refs = (legacy != null) ? List.of(legacy) : list(spec, "targetRefs");
		return refs.stream().map((ref) -> {
			YamlNode.Mapping map = (YamlNode.Mapping) ref;
			return new PolicyTargetReference(stringOr(map, "group", ""), stringOr(map, "kind", ""),
					stringOr(map, "name", ""), stringOr(map, "namespace", ""));
		}).toList();
	}

	private static @Nullable String provider(YamlNode.Mapping spec) {
		YamlNode.Mapping provider = spec.mapping("provider");
		return (provider != null) ? provider.string("name") : null;
	}

	private static Rule rule(YamlNode.Mapping rule) {
		List<Source> from = new ArrayList<>();
		for (YamlNode item : list(rule, "from")) {
			YamlNode.Mapping source = ((YamlNode.Mapping) item).mapping("source");
			from.add(new Source(strings(source, "principals"), strings(source, "notPrincipals"),
					strings(source, "requestPrincipals"), strings(source, "notRequestPrincipals"),
					strings(source, "namespaces"), strings(source, "notNamespaces"), strings(source, "serviceAccounts"),
					strings(source, "notServiceAccounts"), strings(source, "ipBlocks"), strings(source, "notIpBlocks"),
					strings(source, "remoteIpBlocks"), strings(source, "notRemoteIpBlocks"),
					strings(source, "trustDomains"), strings(source, "notTrustDomains")));
		}
		List<Operation> to = new ArrayList<>();
		for (YamlNode item : list(rule, "to")) {
			YamlNode.Mapping operation = ((YamlNode.Mapping) item).mapping("operation");
			to.add(new Operation(strings(operation, "hosts"), strings(operation, "notHosts"),
					strings(operation, "ports"), strings(operation, "notPorts"), strings(operation, "methods"),
					strings(operation, "notMethods"), strings(operation, "paths"), strings(operation, "notPaths")));
		}
		List<Condition> when = new ArrayList<>();
		for (YamlNode item : list(rule, "when")) {
			YamlNode.Mapping condition = (YamlNode.Mapping) item;
			when.add(new Condition(stringOr(condition, "key", ""), strings(condition, "values"),
					strings(condition, "notValues")));
		}
		return new Rule(from, to, when);
	}

	private static JwtRule jwtRule(YamlNode.Mapping rule) {
		String jwksUri = (rule.string("jwksUri") != null) ? rule.string("jwksUri") : rule.string("jwks_uri");
		List<JwtHeader> headers = list(rule, "fromHeaders").stream()
			.map((header) -> new JwtHeader(stringOr((YamlNode.Mapping) header, "name", ""),
					stringOr((YamlNode.Mapping) header, "prefix", "")))
			.toList();
		List<ClaimToHeader> outputs = list(rule, "outputClaimToHeaders").stream()
			.map((output) -> new ClaimToHeader(stringOr((YamlNode.Mapping) output, "header", ""),
					stringOr((YamlNode.Mapping) output, "claim", "")))
			.toList();
		String timeout = rule.string("timeout");
		Long nanos = (timeout != null) ? GoDuration.parseNanos(timeout) : null;
		boolean forward = rule.get("forwardOriginalToken") instanceof YamlNode.Scalar scalar
				&& scalar.type() == YamlNode.ScalarType.BOOLEAN && YamlV2Resolver.booleanValue(scalar.value());
		return new JwtRule(stringOr(rule, "issuer", ""), strings(rule, "audiences"), emptyToNull(jwksUri),
				emptyToNull(rule.string("jwks")), headers, strings(rule, "fromParams"), strings(rule, "fromCookies"),
				emptyToNull(rule.string("outputPayloadToHeader")), forward, outputs,
				(nanos != null) ? Duration.ofNanos(nanos) : JwtRule.DEFAULT_TIMEOUT,
				strings(rule, "spaceDelimitedClaims"), rule.string("presence"));
	}

	private static MtlsMode mode(YamlNode.@Nullable Mapping mtls) {
		String mode = (mtls != null) ? mtls.string("mode") : null;
		return (mode != null) ? MtlsMode.valueOf(mode) : MtlsMode.UNSET;
	}

	private static Map<Integer, MtlsMode> portLevelMtls(YamlNode.Mapping spec) {
		Map<Integer, MtlsMode> ports = new LinkedHashMap<>();
		YamlNode.Mapping portLevel = spec.mapping("portLevelMtls");
		if (portLevel != null) {
			portLevel.entries()
				.forEach((port, entry) -> ports.put(Integer.valueOf(port), mode((YamlNode.Mapping) entry.value())));
		}
		return ports;
	}

	private static List<YamlNode> list(YamlNode.@Nullable Mapping parent, String field) {
		YamlNode.Sequence sequence = (parent != null) ? parent.sequence(field) : null;
		return (sequence != null) ? sequence.items() : List.of();
	}

	private static List<String> strings(YamlNode.@Nullable Mapping parent, String field) {
		YamlNode.Sequence sequence = (parent != null) ? parent.sequence(field) : null;
		return (sequence != null) ? sequence.strings() : List.of();
	}

	private static String stringOr(YamlNode.Mapping parent, String field, String fallback) {
		String value = parent.string(field);
		return (value != null) ? value : fallback;
	}

	private static @Nullable String emptyToNull(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
