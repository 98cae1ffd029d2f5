package io.github.istiosecurity.jwt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict JSON for token segments: plain, unmodifiable Java values ({@code String}, {@code Long} or
 * {@code Double}, {@code Boolean}, {@code List}, {@code Map}, {@code null}). Envoy parses with protobuf's
 * strict JSON parser, so lenient forms (comments, single quotes, trailing garbage) are refused.
 */
final class TokenJson {

	private static final ObjectMapper MAPPER = JsonMapper.builder().build();

	private TokenJson() {
	}

	/**
	 * Parses a JSON object.
	 * @param json the text
	 * @return the members, or {@code null} if the text is not one JSON object
	 */
	static @Nullable Map<String, @Nullable Object> parseObject(String json) {
		JsonNode root;
		try {
			root = MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			return null;
		}
		if (root == null || !root.isObject()) {
			return null;
		}
		return object(root);
	}

	/**
	 * Writes a value as compact JSON.
	 * @param value a value made of the types this class produces
	 * @return the JSON text
	 */
	static String write(@Nullable Object value) {
		return MAPPER.writeValueAsString(value);
	}

	private static Map<String, @Nullable Object> object(JsonNode node) {
		Map<String, @Nullable Object> members = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> member : node.properties()) {
			members.put(member.getKey(), value(member.getValue()));
		}
		return Collections.unmodifiableMap(members);
	}

	private static @Nullable Object value(JsonNode node) {
		if (node.isString()) {
			return node.stringValue();
		}
		if (node.isNumber()) {
			// Envoy holds every number as a double (§2.6); integral values that fit stay exact here.
			return (node.isIntegralNumber() && node.canConvertToLong()) ? (Object) node.longValue()
					: (Object) node.doubleValue();
		}
		if (node.isBoolean()) {
			return node.booleanValue();
		}
		if (node.isObject()) {
			return object(node);
		}
		if (node.isArray()) {
			List<@Nullable Object> items = new ArrayList<>(node.size());
			for (JsonNode item : node.values()) {
				items.add(value(item));
			}
			return Collections.unmodifiableList(items);
		}
		return null;
	}

}
