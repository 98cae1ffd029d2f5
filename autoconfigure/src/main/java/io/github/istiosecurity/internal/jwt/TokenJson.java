package io.github.istiosecurity.internal.jwt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for tokens: plain, unmodifiable Java values ({@code String}, {@code Long} or
 * {@code Double}, {@code Boolean}, {@code List}, {@code Map}, {@code null}).
 * <p>
 * <b>Token segments</b> ({@link #parseSegment}) are read as Envoy reads them.
 * jwt_verify_lib ({@code src/jwt.cc}, {@code Jwt::parseFromString}) parses the decoded
 * header and payload with protobuf's {@code JsonStringToMessage} into a
 * {@code google.protobuf.Struct}, with default options. Since protobuf 22 that is the
 * parser of {@code src/google/protobuf/json/} (Envoy's {@code MODULE.bazel} pins protobuf
 * 35.1 on its main branch; the behaviour below is the same from 22 to 35):
 * <ul>
 * <li>Legacy syntax is on: {@code json/json.cc} turns it on for every
 * {@code JsonStringToMessage} (protobuf 22 to 32), or the default
 * {@code ParseOptions.allow_legacy_nonconformant_behavior = true} of {@code json/json.h}
 * does (since 33). So, besides standard JSON, it accepts single-quoted strings, bare-word
 * member names ({@code [A-Za-z_][A-Za-z0-9_]*}, not {@code null}, {@code true} or
 * {@code false}; {@code ParseBareWord}), a trailing comma in objects and arrays
 * ({@code VisitObject}, {@code VisitArray}), raw control characters inside strings, and
 * the escapes {@code \'} and {@code \U} ({@code json/internal/lexer.cc},
 * {@code ParseUtf8}). Comments, {@code NaN}, leading zeros and a leading byte-order mark
 * are refused.</li>
 * <li>Invalid UTF-8 in a string is refused ({@code utf8_range::IsStructurallyValid}:
 * overlong forms, encoded surrogates and bytes such as {@code 0xFF} included); outside
 * strings any byte beyond ASCII is a syntax error. So a segment that is not valid UTF-8
 * as a whole is invalid JSON.</li>
 * <li>A {@code \u005CuD800} escape must be followed by a {@code \u005Cu} escape of a low
 * surrogate; a lone low surrogate escape is refused too ({@code ParseUnicodeEscape}). A
 * {@code \U} escape is read as {@code \u005Cu}, except that the second half of a pair
 * must be written {@code \u005Cu}.</li>
 * <li>A duplicate member name, at any depth, is refused ({@code json/internal/parser.cc},
 * {@code ParseMap}: "got unexpectedly-repeated repeated map key"); names are compared
 * after unescaping.</li>
 * <li>Objects and arrays nest at most 100 deep, the top-level object counting as one
 * ({@code ParseOptions::kDefaultDepth}, {@code JsonLexer::Push}).</li>
 * <li>Numbers are doubles; one that is not finite (such as {@code 1e400}, or an integer
 * of more than 309 digits) is refused ({@code ParseRawNumber}); one too small for a
 * double is zero. Integers that fit a {@code long} are kept exact here.</li>
 * <li>The top level must be an object, or {@code null}, which is an empty {@code Struct}
 * ({@code ParseMap}); nothing but white space may follow it.</li>
 * </ul>
 * Each refusal becomes the segment's "invalid JSON" status. Beyond Envoy, the parser
 * keeps Jackson's stream bounds at the token size limit ({@link ParsedToken#MAX_LENGTH}),
 * which a decoded segment never reaches.
 */
final class TokenJson {

	/** protobuf's {@code ParseOptions::kDefaultDepth}. */
	static final int MAX_DEPTH = 100;

	private static final ObjectMapper MAPPER = JsonMapper.builder().build();

	private static final JsonFactory SEGMENTS = JsonFactory.builder()
		.enable(JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES,
				JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.streamReadConstraints(StreamReadConstraints.builder()
			.maxNestingDepth(MAX_DEPTH)
			.maxDocumentLength(ParsedToken.MAX_LENGTH)
			.maxStringLength(ParsedToken.MAX_LENGTH)
			.maxNameLength(ParsedToken.MAX_LENGTH)
			.maxNumberLength(ParsedToken.MAX_LENGTH)
			.build())
		.build();

	/**
	 * Heap of a value beyond its characters: a {@code String} with its array, a boxed
	 * number, a map entry.
	 */
	private static final int VALUE_BYTES = 56;

	/** Heap of an empty map or list with its unmodifiable view. */
	private static final int CONTAINER_BYTES = 96;

	private TokenJson() {
	}

	/**
	 * Parses a JSON object with standard, strict JSON (documents other than token
	 * segments, such as a key set).
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
	 * Parses a decoded token header or payload as Envoy does (see the class description).
	 * @param utf8 the decoded segment
	 * @return the segment, or {@code null} where Envoy finds invalid JSON
	 */
	static @Nullable Segment parseSegment(byte[] utf8) {
		boolean ascii = isAscii(utf8);
		String text = ascii ? new String(utf8, StandardCharsets.ISO_8859_1) : decodeStrictly(utf8);
		if (text == null) {
			return null;
		}
		if (text.indexOf("\\U") >= 0) {
			text = lowerCaseUnicodeEscapes(text);
			if (text == null) {
				return null;
			}
		}
		try (JsonParser parser = SEGMENTS.createParser(ObjectReadContext.empty(), text)) {
			SegmentReader reader = new SegmentReader(parser, text);
			JsonToken first = parser.nextToken();
			Map<String, @Nullable Object> members;
			if (first == JsonToken.VALUE_NULL) {
				members = Map.of();
			}
			else if (first == JsonToken.START_OBJECT) {
				members = reader.object();
			}
			else {
				return null;
			}
			if (parser.nextToken() != null) {
				return null;
			}
			// Java keeps a string of characters beyond Latin-1 at two bytes a character.
			long bytes = (long) text.length() * (ascii ? 1 : 2) + reader.values * VALUE_BYTES
					+ reader.containers * CONTAINER_BYTES;
			return new Segment(members, (int) Math.min(Integer.MAX_VALUE, bytes));
		}
		catch (JacksonException | NotEnvoyJson | NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Writes a value as compact JSON.
	 * @param value a value made of the types this class produces
	 * @return the JSON text
	 */
	static String write(@Nullable Object value) {
		return MAPPER.writeValueAsString(value);
	}

	private static boolean isAscii(byte[] bytes) {
		for (byte b : bytes) {
			if (b < 0) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable String decodeStrictly(byte[] utf8) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(utf8))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/**
	 * Rewrites protobuf's legacy {@code \UXXXX} escapes as {@code \u005CuXXXX}. A
	 * {@code \U} escape of a low surrogate is never valid there (alone it is unpaired;
	 * after a high surrogate protobuf wants {@code \u005Cu}), so it gives {@code null}.
	 * Outside strings a backslash is a syntax error either way.
	 */
	private static @Nullable String lowerCaseUnicodeEscapes(String text) {
		StringBuilder rewritten = null;
		for (int i = 0; i < text.length() - 1; i++) {
			if (text.charAt(i) != '\\') {
				continue;
			}
			if (text.charAt(i + 1) == 'U') {
				int codeUnit = hex4(text, i + 2);
				if (codeUnit >= 0xDC00 && codeUnit <= 0xDFFF) {
					return null;
				}
				if (rewritten == null) {
					rewritten = new StringBuilder(text);
				}
				rewritten.setCharAt(i + 1, 'u');
			}
			// Skip the escaped character, so that "\\U" stays an escaped backslash and a
			// letter.
			i++;
		}
		return (rewritten != null) ? rewritten.toString() : text;
	}

	/** The four hex digits at {@code from} as a number, or -1. */
	private static int hex4(String text, int from) {
		if (from + 4 > text.length()) {
			return -1;
		}
		int value = 0;
		for (int i = from; i < from + 4; i++) {
			char c = text.charAt(i);
			int digit = (c >= '0' && c <= '9') ? c - '0'
					: (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (digit < 0) {
				return -1;
			}
			value = (value << 4) | digit;
		}
		return value;
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
			// Envoy holds every number as a double (§2.6); integral values that fit stay
			// exact here.
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

	/**
	 * A parsed token header or payload.
	 *
	 * @param members the members of the top-level object
	 * @param retainedBytes an estimate of the heap the members hold
	 */
	record Segment(Map<String, @Nullable Object> members, int retainedBytes) {
	}

	/**
	 * Builds the values of one segment from the stream, refusing what protobuf refuses
	 * beyond Jackson.
	 */
	private static final class SegmentReader {

		private final JsonParser parser;

		private final String text;

		/**
		 * Whether the text has a unicode escape, the only way to a lone surrogate in
		 * valid UTF-8.
		 */
		private final boolean escapes;

		long values;

		long containers;

		SegmentReader(JsonParser parser, String text) {
			this.parser = parser;
			this.text = text;
			this.escapes = text.indexOf("\\u") >= 0;
		}

		/** Reads the members of the object whose start is the current token. */
		Map<String, @Nullable Object> object() {
			this.containers++;
			Map<String, @Nullable Object> members = new LinkedHashMap<>();
			while (this.parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = this.parser.currentName();
				char opening = this.text.charAt((int) this.parser.currentTokenLocation().getCharOffset());
				if ((opening != '"' && opening != '\'') ? !isBareWord(name) : !validString(name)) {
					throw NotEnvoyJson.INSTANCE;
				}
				this.values++;
				members.put(name, value(this.parser.nextToken()));
			}
			// Anything but the end of the object would have failed in the parser.
			return Collections.unmodifiableMap(members);
		}

		private List<@Nullable Object> array() {
			this.containers++;
			List<@Nullable Object> items = new ArrayList<>();
			JsonToken token;
			while ((token = this.parser.nextToken()) != JsonToken.END_ARRAY) {
				items.add(value(token));
			}
			return Collections.unmodifiableList(items);
		}

		private @Nullable Object value(@Nullable JsonToken token) {
			if (token == JsonToken.START_OBJECT) {
				return object();
			}
			if (token == JsonToken.START_ARRAY) {
				return array();
			}
			this.values++;
			if (token == JsonToken.VALUE_STRING) {
				String value = this.parser.getString();
				if (!validString(value)) {
					throw NotEnvoyJson.INSTANCE;
				}
				return value;
			}
			if (token == JsonToken.VALUE_NUMBER_INT) {
				return integer(this.parser.getString());
			}
			if (token == JsonToken.VALUE_NUMBER_FLOAT) {
				return finite(this.parser.getString());
			}
			if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
				return token == JsonToken.VALUE_TRUE;
			}
			if (token == JsonToken.VALUE_NULL) {
				return null;
			}
			throw NotEnvoyJson.INSTANCE;
		}

		/**
		 * Exact when it fits a long (at most 20 characters with the sign), else a double,
		 * as Envoy has it.
		 */
		private static Object integer(String text) {
			if (text.length() <= 20) {
				try {
					return Long.parseLong(text);
				}
				catch (NumberFormatException ex) {
					// Beyond the range of a long.
				}
			}
			return finite(text);
		}

		/**
		 * A double, parsed in time linear in the text; not finite is invalid for
		 * protobuf.
		 */
		private static Double finite(String text) {
			double value = Double.parseDouble(text);
			if (!Double.isFinite(value)) {
				throw NotEnvoyJson.INSTANCE;
			}
			return value;
		}

		/**
		 * No lone surrogate; raw UTF-8 cannot produce one, so only a text with escapes is
		 * checked.
		 */
		private boolean validString(String value) {
			if (!this.escapes) {
				return true;
			}
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (Character.isHighSurrogate(c) && i + 1 < value.length()
						&& Character.isLowSurrogate(value.charAt(i + 1))) {
					i++;
				}
				else if (Character.isSurrogate(c)) {
					return false;
				}
			}
			return true;
		}

		/**
		 * protobuf's {@code ParseBareWord}: ASCII letters, digits and '_', not a digit
		 * first, not a literal.
		 */
		private static boolean isBareWord(String name) {
			if (name.isEmpty() || (name.charAt(0) >= '0' && name.charAt(0) <= '9') || name.equals("null")
					|| name.equals("true") || name.equals("false")) {
				return false;
			}
			for (int i = 0; i < name.length(); i++) {
				char c = name.charAt(i);
				if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
					return false;
				}
			}
			return true;
		}

	}

	/**
	 * A refusal of protobuf's that Jackson does not make itself; no stack trace, it is
	 * ordinary input.
	 */
	private static final class NotEnvoyJson extends RuntimeException {

		private static final long serialVersionUID = 1L;

		static final NotEnvoyJson INSTANCE = new NotEnvoyJson();

		private NotEnvoyJson() {
			super("not JSON for Envoy", null, false, false);
		}

	}

}
