package io.github.istiosecurity.internal.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A small structural schema, mirroring the parts of the OpenAPI schema and CEL rules of
 * Istio's CRDs that the three security kinds use, with the Kubernetes API server's
 * messages ({@code in body must be of type array}, {@code Unsupported value},
 * {@code Required value}, ...) and {@code kubectl}'s strict decoding of unknown fields.
 */
abstract sealed class Schema
		permits Schema.StringSchema, Schema.BooleanSchema, Schema.ArraySchema, Schema.ObjectSchema, Schema.AnySchema {

	/**
	 * Validates a node against this schema, reporting problems on the node's line.
	 * @param node the node
	 * @param path the field path of the node
	 * @param problems where problems are reported
	 */
	abstract void validate(YamlNode node, String path, Problems problems);

	static StringSchema string() {
		return new StringSchema();
	}

	static BooleanSchema bool() {
		return new BooleanSchema();
	}

	static ArraySchema array(Schema items) {
		return new ArraySchema(items);
	}

	static ArraySchema strings() {
		return new ArraySchema(new StringSchema());
	}

	static ObjectSchema object() {
		return new ObjectSchema();
	}

	static AnySchema any() {
		return new AnySchema();
	}

	static String child(String path, String name) {
		return path.isEmpty() ? name : path + "." + name;
	}

	static void typeError(YamlNode node, String path, String expected, Problems problems) {
		problems.error(node.line(), path,
				path + " in body must be of type " + expected + ": \"" + node.typeName() + "\"");
	}

	/**
	 * A CEL rule ({@code x-kubernetes-validations}) on a string: returns the rule's
	 * message when the value breaks it.
	 */
	@FunctionalInterface
	interface StringRule {

		@Nullable String check(String value);

	}

	/**
	 * A CEL rule on an object; reports its own problems (some name a key rather than the
	 * object).
	 */
	@FunctionalInterface
	interface ObjectRule {

		void check(YamlNode.Mapping mapping, String path, Problems problems);

	}

	/**
	 * {@code type: string}, with enum, lengths, pattern and CEL rules.
	 */
	static final class StringSchema extends Schema {

		private List<String> enumValues = List.of();

		private int minLength = -1;

		private int maxLength = -1;

		private @Nullable Pattern pattern;

		private final List<StringRule> rules = new ArrayList<>();

		StringSchema oneOf(String... values) {
			this.enumValues = List.of(values);
			return this;
		}

		StringSchema minLength(int length) {
			this.minLength = length;
			return this;
		}

		StringSchema maxLength(int length) {
			this.maxLength = length;
			return this;
		}

		StringSchema pattern(String regex) {
			this.pattern = Pattern.compile(regex);
			return this;
		}

		StringSchema rule(StringRule rule) {
			this.rules.add(rule);
			return this;
		}

		@Override
		void validate(YamlNode node, String path, Problems problems) {
			if (!(node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.STRING)) {
				typeError(node, path, "string", problems);
				return;
			}
			String value = scalar.value();
			int line = node.line();
			if (!this.enumValues.isEmpty() && !this.enumValues.contains(value)) {
				problems.error(line, path, path + ": Unsupported value: \"" + value + "\": supported values: "
						+ this.enumValues.stream().map((v) -> "\"" + v + "\"").collect(Collectors.joining(", ")));
			}
			int length = value.codePointCount(0, value.length());
			if (this.minLength >= 0 && length < this.minLength) {
				problems.error(line, path, path + " in body should be at least " + this.minLength + " chars long");
			}
			if (this.maxLength >= 0 && length > this.maxLength) {
				problems.error(line, path, path + ": Too long: may not be longer than " + this.maxLength);
			}
			if (this.pattern != null && !this.pattern.matcher(value).find()) {
				problems.error(line, path, path + " in body should match '" + this.pattern.pattern() + "'");
			}
			for (StringRule rule : this.rules) {
				String message = rule.check(value);
				if (message != null) {
					problems.error(line, path, path + ": Invalid value: " + message);
				}
			}
		}

	}

	/**
	 * {@code type: boolean}; only real YAML booleans ({@code true}, {@code yes}, ...)
	 * qualify, not strings.
	 */
	static final class BooleanSchema extends Schema {

		@Override
		void validate(YamlNode node, String path, Problems problems) {
			if (!(node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.BOOLEAN)) {
				typeError(node, path, "boolean", problems);
			}
		}

	}

	/**
	 * {@code type: array}, with {@code maxItems}.
	 */
	static final class ArraySchema extends Schema {

		private final Schema items;

		private int maxItems = -1;

		ArraySchema(Schema items) {
			this.items = items;
		}

		ArraySchema maxItems(int count) {
			this.maxItems = count;
			return this;
		}

		@Override
		void validate(YamlNode node, String path, Problems problems) {
			if (!(node instanceof YamlNode.Sequence sequence)) {
				typeError(node, path, "array", problems);
				return;
			}
			if (this.maxItems >= 0 && sequence.items().size() > this.maxItems) {
				problems.error(node.line(), path, path + ": Too many: " + sequence.items().size()
						+ ": must have at most " + this.maxItems + " items");
			}
			for (int i = 0; i < sequence.items().size(); i++) {
				this.items.validate(sequence.items().get(i), path + "[" + i + "]", problems);
			}
		}

	}

	/**
	 * {@code type: object}: known properties (anything else is an unknown field), or a
	 * map of {@code additionalProperties}; required properties, property counts and CEL
	 * rules.
	 */
	static final class ObjectSchema extends Schema {

		private final Map<String, Schema> properties = new LinkedHashMap<>();

		private final Set<String> required = new LinkedHashSet<>();

		private @Nullable Schema additionalProperties;

		private int minProperties = -1;

		private int maxProperties = -1;

		private final List<ObjectRule> rules = new ArrayList<>();

		ObjectSchema property(String name, Schema schema) {
			this.properties.put(name, schema);
			return this;
		}

		ObjectSchema required(String name, Schema schema) {
			this.required.add(name);
			return property(name, schema);
		}

		ObjectSchema additionalProperties(Schema schema) {
			this.additionalProperties = schema;
			return this;
		}

		ObjectSchema minProperties(int count) {
			this.minProperties = count;
			return this;
		}

		ObjectSchema maxProperties(int count) {
			this.maxProperties = count;
			return this;
		}

		ObjectSchema rule(ObjectRule rule) {
			this.rules.add(rule);
			return this;
		}

		/**
		 * A CEL rule reported on the object itself as
		 * {@code path: Invalid value: message}.
		 */
		ObjectSchema rule(java.util.function.Predicate<YamlNode.Mapping> valid, String message) {
			return rule((mapping, path, problems) -> {
				if (!valid.test(mapping)) {
					problems.error(mapping.line(), path, path + ": Invalid value: " + message);
				}
			});
		}

		@Override
		void validate(YamlNode node, String path, Problems problems) {
			if (!(node instanceof YamlNode.Mapping mapping)) {
				typeError(node, path, "object", problems);
				return;
			}
			validateEntries(mapping, path, problems);
		}

		void validateEntries(YamlNode.Mapping mapping, String path, Problems problems) {
			int size = mapping.entries().size();
			if (this.minProperties >= 0 && size < this.minProperties) {
				problems.error(mapping.line(), path,
						path + " in body should have at least " + this.minProperties + " properties");
			}
			if (this.maxProperties >= 0 && size > this.maxProperties) {
				problems.error(mapping.line(), path,
						path + ": Too many: " + size + ": must have at most " + this.maxProperties + " items");
			}
			for (Map.Entry<String, YamlNode.Entry> entry : mapping.entries().entrySet()) {
				String childPath = child(path, entry.getKey());
				Schema schema = this.properties.get(entry.getKey());
				if (schema == null) {
					schema = this.additionalProperties;
				}
				if (schema == null) {
					problems.error(entry.getValue().keyLine(), childPath, "unknown field \"" + childPath + "\"");
					continue;
				}
				schema.validate(entry.getValue().value(), childPath, problems);
			}
			for (String name : this.required) {
				if (!mapping.has(name)) {
					String childPath = child(path, name);
					problems.error(mapping.line(), childPath, childPath + ": Required value");
				}
			}
			for (ObjectRule rule : this.rules) {
				rule.check(mapping, path, problems);
			}
		}

	}

	/**
	 * Anything ({@code x-kubernetes-preserve-unknown-fields}), e.g. {@code status}.
	 */
	static final class AnySchema extends Schema {

		@Override
		void validate(YamlNode node, String path, Problems problems) {
		}

	}

}
