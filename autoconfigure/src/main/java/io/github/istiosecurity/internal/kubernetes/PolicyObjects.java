package io.github.istiosecurity.internal.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.istiosecurity.model.PolicyOrigin;

/**
 * Turns an object as the API server returned it into the document a policy file would
 * hold, so that it goes through the same parser and validation: {@code apiVersion},
 * {@code kind}, {@code metadata} without the fields the server manages
 * ({@code managedFields}, owner references, {@code kubectl}'s last-applied copy) and
 * {@code spec}; {@code status} is dropped. JSON is YAML, and its quoted strings are never
 * re-typed.
 */
final class PolicyObjects {

	private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

	private PolicyObjects() {
	}

	/**
	 * Returns the name problems are reported under, e.g.
	 * {@code k8s:AuthorizationPolicy foo/allow-get}.
	 * @param object the object
	 * @return the name
	 */
	static String resourceName(GenericKubernetesResource object) {
		return PolicyOrigin.KUBERNETES_PREFIX + object.getKind() + " " + qualifiedName(object);
	}

	/**
	 * Returns {@code namespace/name}.
	 * @param object the object
	 * @return the qualified name
	 */
	static String qualifiedName(GenericKubernetesResource object) {
		ObjectMeta metadata = object.getMetadata();
		return (metadata != null) ? metadata.getNamespace() + "/" + metadata.getName() : "?/?";
	}

	/**
	 * Renders the object as a JSON policy document.
	 * @param object the object
	 * @param serialization the client's serialization
	 * @return the document
	 */
	static String toDocument(GenericKubernetesResource object, KubernetesSerialization serialization) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("apiVersion", object.getApiVersion());
		document.put("kind", object.getKind());
		ObjectMeta metadata = object.getMetadata();
		if (metadata != null) {
			document.put("metadata", metadata(metadata));
		}
		Object spec = object.getAdditionalProperties().get("spec");
		if (spec != null) {
			document.put("spec", spec);
		}
		return serialization.asJson(document);
	}

	private static Map<String, Object> metadata(ObjectMeta metadata) {
		Map<String, Object> kept = new LinkedHashMap<>();
		putIfPresent(kept, "name", metadata.getName());
		putIfPresent(kept, "namespace", metadata.getNamespace());
		putIfPresent(kept, "uid", metadata.getUid());
		putIfPresent(kept, "resourceVersion", metadata.getResourceVersion());
		putIfPresent(kept, "generation", metadata.getGeneration());
		putIfPresent(kept, "creationTimestamp", metadata.getCreationTimestamp());
		if (metadata.getLabels() != null && !metadata.getLabels().isEmpty()) {
			kept.put("labels", metadata.getLabels());
		}
		if (metadata.getAnnotations() != null) {
			Map<String, String> annotations = new LinkedHashMap<>(metadata.getAnnotations());
			annotations.remove(LAST_APPLIED);
			if (!annotations.isEmpty()) {
				kept.put("annotations", annotations);
			}
		}
		return kept;
	}

	private static void putIfPresent(Map<String, Object> map, String key,
			@org.jspecify.annotations.Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}

}
