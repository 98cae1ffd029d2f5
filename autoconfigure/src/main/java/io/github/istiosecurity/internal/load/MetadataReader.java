package io.github.istiosecurity.internal.load;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.istiosecurity.model.ObjectMeta;
import io.github.istiosecurity.model.PolicyKind;
import org.jspecify.annotations.Nullable;

/**
 * Reads Kubernetes {@code metadata} as the API server decodes {@code ObjectMeta}
 * (strictly: unknown fields are errors, server-set fields such as {@code uid} or
 * {@code managedFields} are accepted and ignored), and applies Istio's annotation checks
 * ({@code validateMetadata}, {@code checkDryRunAnnotation}; §1.2).
 */
final class MetadataReader {

	private static final Pattern DNS1123_SUBDOMAIN = Pattern
		.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

	private static final Pattern DNS1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

	private static final Set<String> STRING_FIELDS = Set.of("name", "generateName", "namespace", "selfLink", "uid",
			"resourceVersion", "creationTimestamp", "deletionTimestamp");

	private static final Set<String> INTEGER_FIELDS = Set.of("generation", "deletionGracePeriodSeconds");

	private static final Set<String> LIST_FIELDS = Set.of("ownerReferences", "finalizers", "managedFields");

	/**
	 * Annotations Istio reserves for itself; any resource that carries one is rejected.
	 */
	private static final Map<String, String> RESERVED_ANNOTATIONS = Map.of("internal.istio.io/webhook-always-reject",
			"\"internal.istio.io/webhook-always-reject\" annotation found, rejecting", "internal.istio.io/parents",
			"\"internal.istio.io/parents\" annotation found, this may not be set by users",
			"internal.istio.io/parent-namespace",
			"\"internal.istio.io/parent-namespace\" annotation found, this may not be set by users");

	private MetadataReader() {
	}

	/**
	 * Validates {@code metadata} and reads it.
	 * @param object the object that holds the metadata
	 * @param path the path of the metadata, e.g. {@code metadata}
	 * @param problems where problems are reported
	 * @return the metadata, or {@code null} when it has errors
	 */
	static @Nullable ObjectMeta read(YamlNode.Mapping object, String path, Problems problems) {
		int errors = problems.errorCount();
		YamlNode node = object.get("metadata");
		YamlNode.Mapping metadata = (node instanceof YamlNode.Mapping mapping) ? mapping
				: new YamlNode.Mapping(object.line(), Map.of());
		if (node != null && !(node instanceof YamlNode.Mapping) && !isNull(node)) {
			Schema.typeError(node, path, "object", problems);
		}
		for (Map.Entry<String, YamlNode.Entry> entry : metadata.entries().entrySet()) {
			String field = entry.getKey();
			YamlNode value = entry.getValue().value();
			String fieldPath = path + "." + field;
			if (isNull(value)) {
				continue;
			}
			if (STRING_FIELDS.contains(field)) {
				Schema.string().validate(value, fieldPath, problems);
			}
			else if (INTEGER_FIELDS.contains(field)) {
				if (!(value instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.INTEGER)) {
					Schema.typeError(value, fieldPath, "integer", problems);
				}
			}
			else if (LIST_FIELDS.contains(field)) {
				if (!(value instanceof YamlNode.Sequence)) {
					Schema.typeError(value, fieldPath, "array", problems);
				}
			}
			else if (!field.equals("labels") && !field.equals("annotations")) {
				problems.error(entry.getValue().keyLine(), fieldPath, "unknown field \"" + fieldPath + "\"");
			}
		}
		Map<String, String> labels = stringMap(metadata, "labels", path, problems);
		Map<String, String> annotations = stringMap(metadata, "annotations", path, problems);
		String name = metadata.string("name");
		if (name == null || name.isEmpty()) {
			problems.error(metadata.line(), path + ".name",
					path + ".name: Required value: name or generateName is required");
		}
		else if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
			problems.error(metadata.keyLine("name"), path + ".name",
					path + ".name: Invalid value: \"" + name
							+ "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
							+ "'-' or '.', and must start and end with an alphanumeric character");
		}
		String namespace = metadata.string("namespace");
		if (namespace != null && (namespace.length() > 63 || !DNS1123_LABEL.matcher(namespace).matches())) {
			problems.error(metadata.keyLine("namespace"), path + ".namespace",
					path + ".namespace: Invalid value: \"" + namespace + "\": a lowercase RFC 1123 label must consist "
							+ "of lower case alphanumeric characters or '-', and must start and end with an "
							+ "alphanumeric character");
		}
		Instant created = null;
		String timestamp = metadata.string("creationTimestamp");
		if (timestamp != null) {
			try {
				created = OffsetDateTime.parse(timestamp).toInstant();
			}
			catch (DateTimeParseException ex) {
				problems.error(metadata.keyLine("creationTimestamp"), path + ".creationTimestamp",
						path + ".creationTimestamp: Invalid value: \"" + timestamp + "\": not an RFC 3339 time");
			}
		}
		if (problems.errorCount() > errors || name == null) {
			return null;
		}
		return new ObjectMeta(name, (namespace == null || namespace.isEmpty()) ? null : namespace, annotations, labels,
				created);
	}

	/**
	 * Applies Istio's annotation checks ({@code validateMetadata}); runs in the webhook
	 * layer.
	 * @param object the object that holds the metadata
	 * @param path the path of the metadata
	 * @param kind the kind
	 * @param action the AuthorizationPolicy action ({@code ALLOW} when absent), or
	 * {@code null}
	 * @param problems where problems are reported
	 */
	static void validateAnnotations(YamlNode.Mapping object, String path, PolicyKind kind, @Nullable String action,
			Problems problems) {
		YamlNode.Mapping metadata = object.mapping("metadata");
		YamlNode.Mapping annotations = (metadata != null) ? metadata.mapping("annotations") : null;
		if (annotations == null) {
			return;
		}
		YamlNode.Entry dryRun = annotations.entries().get(ObjectMeta.DRY_RUN_ANNOTATION);
		String dryRunPath = path + ".annotations." + ObjectMeta.DRY_RUN_ANNOTATION;
		if (dryRun != null && dryRun.value() instanceof YamlNode.Scalar scalar
				&& scalar.type() == YamlNode.ScalarType.STRING) {
			// §3.16: only ALLOW and DENY AuthorizationPolicies may be dry-run, and only
			// with a Go boolean.
			if (kind != PolicyKind.AUTHORIZATION_POLICY) {
				problems.error(dryRun.keyLine(), dryRunPath, "has unsupported annotation "
						+ ObjectMeta.DRY_RUN_ANNOTATION + ", please remove the annotation");
			}
			else if (action != null && !action.equals("ALLOW") && !action.equals("DENY")) {
				problems.error(dryRun.keyLine(), dryRunPath, "the annotation " + ObjectMeta.DRY_RUN_ANNOTATION
						+ " currently only supports action ALLOW/DENY, found action " + action);
			}
			else if (!isGoBool(scalar.value())) {
				problems.error(dryRun.keyLine(), dryRunPath,
						"annotation " + ObjectMeta.DRY_RUN_ANNOTATION + " with invalid value (" + scalar.value() + ")");
			}
		}
		for (Map.Entry<String, String> reserved : RESERVED_ANNOTATIONS.entrySet()) {
			YamlNode.Entry entry = annotations.entries().get(reserved.getKey());
			if (entry != null) {
				problems.error(entry.keyLine(), path + ".annotations." + reserved.getKey(), reserved.getValue());
			}
		}
	}

	/** Go's {@code strconv.ParseBool}. */
	private static boolean isGoBool(String value) {
		return switch (value) {
			case "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False" -> true;
			default -> false;
		};
	}

	private static Map<String, String> stringMap(YamlNode.Mapping metadata, String field, String path,
			Problems problems) {
		Map<String, String> result = new LinkedHashMap<>();
		YamlNode node = metadata.get(field);
		if (node == null || isNull(node)) {
			return result;
		}
		String mapPath = path + "." + field;
		if (!(node instanceof YamlNode.Mapping mapping)) {
			Schema.typeError(node, mapPath, "object", problems);
			return result;
		}
		for (Map.Entry<String, YamlNode.Entry> entry : mapping.entries().entrySet()) {
			YamlNode value = entry.getValue().value();
			if (value instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.STRING) {
				result.put(entry.getKey(), scalar.value());
			}
			else {
				problems.error(entry.getValue().keyLine(), mapPath + "." + entry.getKey(),
						mapPath + "[" + entry.getKey() + "] must be a string, got " + value.typeName());
			}
		}
		return result;
	}

	private static boolean isNull(YamlNode node) {
		return node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.NULL;
	}

}
