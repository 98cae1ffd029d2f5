package io.github.istiosecurity.internal.load;

import java.util.List;
import java.util.Map;

/**
 * Istio's webhook checks of {@code selector}, {@code targetRef} and {@code targetRefs}
 * (§1.4): {@code validateOneOfSelectorType}, {@code validateWorkloadSelector} and
 * {@code validatePolicyTargetReference}.
 */
final class SelectorValidator {

	/**
	 * The kinds a policy may target, as {@code group/kind} with the core group spelled
	 * {@code core}.
	 */
	private static final List<String> ALLOWED_TARGETS = List.of("core/Service", "networking.istio.io/ServiceEntry",
			"gateway.networking.k8s.io/Gateway", "gateway.networking.k8s.io/GatewayClass");

	private SelectorValidator() {
	}

	/**
	 * Validates the selector and target references of a {@code spec}.
	 * @param spec the spec
	 * @param specPath the path of the spec
	 * @param problems where problems are reported
	 * @param targetsAllowed whether the kind has {@code targetRef(s)} (PeerAuthentication
	 * has not)
	 */
	static void validate(YamlNode.Mapping spec, String specPath, Problems problems, boolean targetsAllowed) {
		if (targetsAllowed) {
			YamlNode.Sequence targetRefs = spec.sequence("targetRefs");
			int set = (spec.hasValue("selector") ? 1 : 0) + (spec.hasValue("targetRef") ? 1 : 0)
					+ ((targetRefs != null && !targetRefs.items().isEmpty()) ? 1 : 0);
			if (set > 1) {
				problems.error(spec.line(), specPath, "only one of targetRefs or workloadSelector can be set");
			}
			YamlNode.Mapping targetRef = spec.mapping("targetRef");
			if (targetRef != null) {
				validateTargetRef(targetRef, Schema.child(specPath, "targetRef"), problems);
			}
			if (targetRefs != null) {
				for (int i = 0; i < targetRefs.items().size(); i++) {
					if (targetRefs.items().get(i) instanceof YamlNode.Mapping ref) {
						validateTargetRef(ref, Schema.child(specPath, "targetRefs") + "[" + i + "]", problems);
					}
				}
			}
		}
		YamlNode.Mapping selector = spec.mapping("selector");
		if (selector != null) {
			validateWorkloadSelector(selector, Schema.child(specPath, "selector"), problems);
		}
	}

	private static void validateWorkloadSelector(YamlNode.Mapping selector, String path, Problems problems) {
		YamlNode.Mapping labels = selector.mapping("matchLabels");
		if (labels == null || labels.entries().isEmpty()) {
			problems.warning(selector.line(), path, "workload selector specified without labels");
			return;
		}
		String labelsPath = path + ".matchLabels";
		for (Map.Entry<String, YamlNode.Entry> label : labels.entries().entrySet()) {
			String key = label.getKey();
			String value = (label.getValue().value() instanceof YamlNode.Scalar scalar) ? scalar.value() : "";
			if (key.isEmpty()) {
				problems.error(labels.line(), labelsPath,
						"empty key is not supported in selector: \"" + key + "=" + value + "\"");
			}
			if (key.contains("*")) {
				problems.error(labels.line(), labelsPath,
						"wildcard is not supported in selector: \"" + key + "=" + value + "\"");
			}
			else if (value.contains("*")) {
				problems.error(label.getValue().keyLine(), labelsPath + "." + key,
						"wildcard is not supported in selector: \"" + key + "=" + value + "\"");
			}
		}
	}

	private static void validateTargetRef(YamlNode.Mapping ref, String path, Problems problems) {
		String name = ref.string("name");
		if (name == null || name.isEmpty()) {
			problems.error(ref.line(), path + ".name", "targetRef name must be set");
		}
		String namespace = ref.string("namespace");
		if (namespace != null && !namespace.isEmpty()) {
			problems.error(ref.keyLine("namespace"), path + ".namespace",
					"targetRef namespace must not be set; cross namespace referencing is not supported");
		}
		String group = (ref.string("group") != null) ? ref.string("group") : "";
		String kind = (ref.string("kind") != null) ? ref.string("kind") : "";
		String canonicalGroup = group.isEmpty() ? "core" : group;
		if (!ALLOWED_TARGETS.contains(canonicalGroup + "/" + kind)) {
			problems.error(ref.line(), path,
					"targetRef must be to one of Service, ServiceEntry, Gateway, GatewayClass but was " + group + "/"
							+ kind);
		}
	}

}
