package io.github.istiosecurity.internal.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A YAML value as {@code kubectl} sees it after decoding: a mapping with string keys, a
 * sequence or a typed scalar. Every node knows the line a problem about it is reported
 * on: the line of its key when it is a mapping value, its own first line otherwise.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

	/**
	 * Returns the 1-based line problems about this node are reported on.
	 * @return the line
	 */
	int line();

	/**
	 * Returns the JSON type name Kubernetes uses in messages ({@code object},
	 * {@code array}, {@code string}, {@code integer}, {@code number}, {@code boolean},
	 * {@code null}).
	 * @return the type name
	 */
	String typeName();

	/**
	 * A mapping; keys are strings in document order ({@code 8080:} becomes
	 * {@code "8080"}).
	 *
	 * @param line the line
	 * @param entries the entries in document order
	 */
	record Mapping(int line, Map<String, Entry> entries) implements YamlNode {

		public Mapping {
			entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
		}

		@Override
		public String typeName() {
			return "object";
		}

		@Nullable YamlNode get(String key) {
			Entry entry = this.entries.get(key);
			return (entry != null) ? entry.value() : null;
		}

		boolean has(String key) {
			return this.entries.containsKey(key);
		}

		/**
		 * Returns the line of the key, or the mapping's own line when the key is absent:
		 * where a problem with the key's field is reported.
		 */
		int keyLine(String key) {
			Entry entry = this.entries.get(key);
			return (entry != null) ? entry.keyLine() : this.line;
		}

		/**
		 * Whether the key is present with a value other than {@code null}.
		 */
		boolean hasValue(String key) {
			YamlNode value = get(key);
			return value != null && !(value instanceof Scalar scalar && scalar.type() == ScalarType.NULL);
		}

		/**
		 * Returns the string value of the key, or {@code null} when absent or not a
		 * string.
		 */
		@Nullable String string(String key) {
			return (get(key) instanceof Scalar scalar && scalar.type() == ScalarType.STRING) ? scalar.value() : null;
		}

		/**
		 * Returns the mapping value of the key, or {@code null} when absent or not a
		 * mapping.
		 */
		@Nullable Mapping mapping(String key) {
			return (get(key) instanceof Mapping mapping) ? mapping : null;
		}

		/**
		 * Returns the sequence value of the key, or {@code null} when absent or not a
		 * sequence.
		 */
		@Nullable Sequence sequence(String key) {
			return (get(key) instanceof Sequence sequence) ? sequence : null;
		}

	}

	/**
	 * One entry of a {@link Mapping}.
	 *
	 * @param keyLine the line of the key
	 * @param value the value
	 */
	record Entry(int keyLine, YamlNode value) {
	}

	/**
	 * A sequence.
	 *
	 * @param line the line
	 * @param items the items
	 */
	record Sequence(int line, List<YamlNode> items) implements YamlNode {

		public Sequence {
			items = List.copyOf(items);
		}

		@Override
		public String typeName() {
			return "array";
		}

		/**
		 * Returns the string items; items of other types are skipped (the schema reports
		 * them).
		 */
		List<String> strings() {
			return this.items.stream()
				.filter((item) -> item instanceof Scalar scalar && scalar.type() == ScalarType.STRING)
				.map((item) -> ((Scalar) item).value())
				.toList();
		}

	}

	/**
	 * A scalar with its YAML 1.1 type (as {@code yaml.v2} resolves it).
	 *
	 * @param line the line
	 * @param type the resolved type
	 * @param value the text, as written (without quotes)
	 */
	record Scalar(int line, ScalarType type, String value) implements YamlNode {

		@Override
		public String typeName() {
			return this.type.typeName();
		}

	}

	/**
	 * The type of a {@link Scalar}.
	 */
	enum ScalarType {

		STRING("string"), INTEGER("integer"), NUMBER("number"), BOOLEAN("boolean"), NULL("null");

		private final String typeName;

		ScalarType(String typeName) {
			this.typeName = typeName;
		}

		String typeName() {
			return this.typeName;
		}

	}

}
