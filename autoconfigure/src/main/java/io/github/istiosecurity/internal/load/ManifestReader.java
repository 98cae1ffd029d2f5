package io.github.istiosecurity.internal.load;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.ObjectMeta;
import io.github.istiosecurity.model.PolicyKind;
import io.github.istiosecurity.model.PolicyOrigin;
import org.jspecify.annotations.Nullable;

/**
 * Turns one YAML document into policies, in the order Kubernetes checks an object:
 * {@code kind} and {@code apiVersion} (§1.1), {@code metadata}, the CRD schema of
 * {@code spec}, then Istio's webhook. A {@code kind: List} document contributes each of
 * its {@code items}.
 */
final class ManifestReader {

	private static final Set<String> API_VERSIONS = Set.of(PolicyKind.GROUP + "/v1", PolicyKind.GROUP + "/v1beta1");

	private static final Set<String> TOP_LEVEL_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "status");

	private static final Set<String> LIST_FIELDS = Set.of("apiVersion", "kind", "metadata", "items");

	private final @Nullable String defaultNamespace;

	ManifestReader(@Nullable String defaultNamespace) {
		this.defaultNamespace = defaultNamespace;
	}

	void read(YamlDocumentReader.YamlDocument document, Problems problems, List<IstioPolicy> policies) {
		YamlNode root = document.root();
		if (!(root instanceof YamlNode.Mapping object)) {
			problems.error(root.line(), PolicyProblem.NO_FIELD, "document is not a mapping (" + root.typeName() + ")");
			return;
		}
		if ("List".equals(object.string("kind"))) {
			readList(object, problems, policies);
			return;
		}
		readObject(object, "", problems, policies);
	}

	private void readList(YamlNode.Mapping list, Problems problems, List<IstioPolicy> policies) {
		for (Map.Entry<String, YamlNode.Entry> entry : list.entries().entrySet()) {
			if (!LIST_FIELDS.contains(entry.getKey())) {
				problems.error(entry.getValue().keyLine(), entry.getKey(), "unknown field \"" + entry.getKey() + "\"");
			}
		}
		YamlNode items = list.get("items");
		if (items == null || isNull(items)) {
			return;
		}
		if (!(items instanceof YamlNode.Sequence sequence)) {
			Schema.typeError(items, "items", "array", problems);
			return;
		}
		for (int i = 0; i < sequence.items().size(); i++) {
			YamlNode item = sequence.items().get(i);
			if (item instanceof YamlNode.Mapping object) {
				readObject(object, "items[" + i + "]", problems, policies);
			}
			else {
				Schema.typeError(item, "items[" + i + "]", "object", problems);
			}
		}
	}

	private void readObject(YamlNode.Mapping object, String base, Problems problems, List<IstioPolicy> policies) {
		int errors = problems.errorCount();
		TypeMeta type = typeMeta(object, base, problems);
		if (type == null) {
			return;
		}
		PolicyKind kind = type.kind();
		for (Map.Entry<String, YamlNode.Entry> entry : object.entries().entrySet()) {
			if (!TOP_LEVEL_FIELDS.contains(entry.getKey())) {
				String path = Schema.child(base, entry.getKey());
				problems.error(entry.getValue().keyLine(), path, "unknown field \"" + path + "\"");
			}
		}
		ObjectMeta metadata = MetadataReader.read(object, Schema.child(base, "metadata"), problems);
		String specPath = Schema.child(base, "spec");
		YamlNode specNode = object.get("spec");
		if (specNode != null && isNull(specNode)) {
			// An empty "spec:" is an absent spec, as Kubernetes prunes null object
			// fields.
			specNode = null;
		}
		if (specNode != null) {
			CrdSchemas.spec(kind).validate(specNode, specPath, problems);
		}
		YamlNode.Mapping spec = (specNode instanceof YamlNode.Mapping mapping) ? mapping
				: new YamlNode.Mapping((specNode != null) ? specNode.line() : object.line(), Map.of());
		problems.webhookLayer(true);
		try {
			String action = null;
			if (kind == PolicyKind.AUTHORIZATION_POLICY) {
				action = (spec.get("action") == null) ? "ALLOW" : spec.string("action");
			}
			MetadataReader.validateAnnotations(object, Schema.child(base, "metadata"), kind, action, problems);
			switch (kind) {
				case AUTHORIZATION_POLICY -> AuthorizationPolicyValidator.validate(spec, specPath, problems);
				case REQUEST_AUTHENTICATION -> RequestAuthenticationValidator.validate(spec, specPath, problems);
				case PEER_AUTHENTICATION -> PeerAuthenticationValidator.validate(spec, specPath, problems);
			}
		}
		finally {
			problems.webhookLayer(false);
		}
		if (problems.errorCount() > errors || metadata == null) {
			return;
		}
		if (metadata.namespace() == null && this.defaultNamespace != null) {
			metadata = metadata.withNamespace(this.defaultNamespace);
		}
		PolicyOrigin origin = new PolicyOrigin(problems.resource(), object.line(), base, FieldLines.of(object));
		policies.add(PolicyMapper.map(kind, type.apiVersion(), metadata, origin, spec));
	}

	private static @Nullable TypeMeta typeMeta(YamlNode.Mapping object, String base, Problems problems) {
		String kindPath = Schema.child(base, "kind");
		String apiVersionPath = Schema.child(base, "apiVersion");
		YamlNode kindNode = object.get("kind");
		YamlNode apiVersionNode = object.get("apiVersion");
		if (kindNode == null || isNull(kindNode)) {
			problems.error(object.line(), kindPath, "Object 'Kind' is missing");
			return null;
		}
		if (apiVersionNode == null || isNull(apiVersionNode)) {
			problems.error(object.line(), apiVersionPath, "Object 'apiVersion' is missing");
			return null;
		}
		String kindName = object.string("kind");
		String apiVersion = object.string("apiVersion");
		if (kindName == null) {
			Schema.typeError(kindNode, kindPath, "string", problems);
			return null;
		}
		if (apiVersion == null) {
			Schema.typeError(apiVersionNode, apiVersionPath, "string", problems);
			return null;
		}
		PolicyKind kind = PolicyKind.fromKindName(kindName);
		String message = "no matches for kind \"" + kindName + "\" in version \"" + apiVersion + "\"";
		if (kind == null) {
			problems.error(object.keyLine("kind"), kindPath, message);
			return null;
		}
		if (!API_VERSIONS.contains(apiVersion)) {
			problems.error(object.keyLine("apiVersion"), apiVersionPath, message);
			return null;
		}
		return new TypeMeta(kind, apiVersion);
	}

	private static boolean isNull(YamlNode node) {
		return node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.NULL;
	}

	/**
	 * An object's kind and apiVersion, both known to be served (Kubernetes' TypeMeta).
	 */
	private record TypeMeta(PolicyKind kind, String apiVersion) {
	}

}
