package io.github.istiosecurity.internal.load;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the line of every field of an object's {@code metadata} and {@code spec}, by
 * the path problems use ({@code spec.rules[0].from[0].source.principals[1]}), so that
 * checks made after loading (the policy lint) can name the line of the field they are
 * about.
 */
final class FieldLines {

	private static final List<String> RECORDED = List.of("metadata", "spec");

	private FieldLines() {
	}

	/**
	 * Returns the lines of the fields of one object.
	 * @param object the object
	 * @return the line of each field path, relative to the object
	 */
	static Map<String, Integer> of(YamlNode.Mapping object) {
		Map<String, Integer> lines = new HashMap<>();
		for (String field : RECORDED) {
			YamlNode.Entry entry = object.entries().get(field);
			if (entry != null) {
				lines.put(field, entry.keyLine());
				record(entry.value(), field, lines);
			}
		}
		return lines;
	}

	private static void record(YamlNode node, String path, Map<String, Integer> lines) {
		if (node instanceof YamlNode.Mapping mapping) {
			mapping.entries().forEach((key, entry) -> {
				String child = Schema.child(path, key);
				lines.put(child, entry.keyLine());
				record(entry.value(), child, lines);
			});
		}
		else if (node instanceof YamlNode.Sequence sequence) {
			for (int i = 0; i < sequence.items().size(); i++) {
				YamlNode item = sequence.items().get(i);
				String child = path + "[" + i + "]";
				lines.put(child, item.line());
				record(item, child, lines);
			}
		}
	}

}
