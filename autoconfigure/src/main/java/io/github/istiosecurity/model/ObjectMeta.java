package io.github.istiosecurity.model;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The parts of Kubernetes {@code metadata} that matter for Istio security policies
 * (§1.2).
 *
 * @param name the object name
 * @param namespace the namespace, {@code null} when the document does not say (the
 * loader's default applies)
 * @param annotations the annotations (only {@code istio.io/dry-run} has a meaning)
 * @param labels the labels (no security meaning)
 * @param creationTimestamp when the object was created, used to break ties between
 * PeerAuthentications
 */
public record ObjectMeta(String name, @Nullable String namespace, Map<String, String> annotations,
		Map<String, String> labels, @Nullable Instant creationTimestamp) {

	/**
	 * The annotation that turns an ALLOW or DENY policy into a dry-run (shadow) policy.
	 */
	public static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";

	public ObjectMeta {
		annotations = Map.copyOf(annotations);
		labels = Map.copyOf(labels);
	}

	/**
	 * Creates metadata with just a name and a namespace.
	 * @param name the name
	 * @param namespace the namespace
	 * @return the metadata
	 */
	public static ObjectMeta of(String name, @Nullable String namespace) {
		return new ObjectMeta(name, namespace, Map.of(), Map.of(), null);
	}

	/**
	 * Returns this metadata in the given namespace.
	 * @param newNamespace the namespace
	 * @return a copy with the namespace set
	 */
	public ObjectMeta withNamespace(String newNamespace) {
		return new ObjectMeta(this.name, newNamespace, this.annotations, this.labels, this.creationTimestamp);
	}

}
