package io.github.istiosecurity.internal.jwt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Token segments read as protobuf's JSON parser reads them for jwt_verify_lib (see
 * {@link TokenJson}): legacy syntax accepted, invalid UTF-8, lone surrogates, duplicate
 * names, nesting beyond 100 and numbers beyond a double refused, each case with the value
 * Envoy would hold or its refusal.
 */
class TokenJsonTests {

	private static TokenJson.@Nullable Segment parse(byte[] utf8) {
		return TokenJson.parseSegment(utf8);
	}

	private static TokenJson.@Nullable Segment parse(String json) {
		return parse(json.getBytes(StandardCharsets.UTF_8));
	}

	private static Map<String, @Nullable Object> members(String json) {
		TokenJson.Segment segment = parse(json);
		assertThat(segment).as(json).isNotNull();
		return segment.members();
	}

	private static byte[] bytes(String before, int[] raw, String after) {
		byte[] head = before.getBytes(StandardCharsets.UTF_8);
		byte[] tail = after.getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[head.length + raw.length + tail.length];
		System.arraycopy(head, 0, all, 0, head.length);
		for (int i = 0; i < raw.length; i++) {
			all[head.length + i] = (byte) raw[i];
		}
		System.arraycopy(tail, 0, all, head.length + raw.length, tail.length);
		return all;
	}

	@Test
	void standardJsonGivesPlainJavaValues() {
		assertThat(members("{\"s\":\"x\",\"i\":42,\"d\":1.5,\"e\":1e3,\"t\":true,\"f\":false,\"n\":null,"
				+ "\"a\":[1,\"b\"],\"o\":{\"k\":\"v\"}}"))
			.containsExactly(entry("s", "x"), entry("i", 42L), entry("d", 1.5), entry("e", 1000.0), entry("t", true),
					entry("f", false), entry("n", null), entry("a", List.of(1L, "b")), entry("o", Map.of("k", "v")));
	}

	// UTF-8: utf8_range::IsStructurallyValid on every string, a syntax error elsewhere.

	@Test
	void validMultiByteUtf8IsKept() {
		assertThat(members("{\"x\":\"\u00e9\u20ac\uD83D\uDE00\"}")).containsEntry("x", "\u00e9\u20ac\uD83D\uDE00");
	}

	@Test
	void invalidUtf8IsInvalidJson() {
		int[][] invalid = { { 0xFF }, { 0xC3 }, { 0xC3, 0x41 }, { 0xC0, 0xAF }, { 0xE0, 0x80, 0xAF },
				{ 0xED, 0xA0, 0x80 }, { 0xF4, 0x90, 0x80, 0x80 }, { 0xF8, 0x88, 0x80, 0x80, 0x80 }, { 0x80 } };
		for (int[] raw : invalid) {
			assertThat(parse(bytes("{\"x\":\"", raw, "\"}"))).as("in a value %s", Arrays.toString(raw)).isNull();
			assertThat(parse(bytes("{\"", raw, "\":1}"))).as("in a name %s", Arrays.toString(raw)).isNull();
			assertThat(parse(bytes("{\"x\":1", raw, "}"))).as("outside strings %s", Arrays.toString(raw)).isNull();
		}
	}

	@Test
	void aByteOrderMarkIsInvalidJson() {
		assertThat(parse(bytes("", new int[] { 0xEF, 0xBB, 0xBF }, "{}"))).isNull();
	}

	// Unicode escapes: ParseUnicodeEscape.

	@Test
	void escapedSurrogatePairsAreOneCharacter() {
		assertThat(members("{\"x\":\"\\uD83D\\uDE00\",\"y\":\"\\ud83d\\ude00\"}")).containsEntry("x", "\uD83D\uDE00")
			.containsEntry("y", "\uD83D\uDE00");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"x\":\"\\uD800\"}", "{\"x\":\"\\uDBFF!\"}", "{\"x\":\"\\uD800\\u0041\"}",
			"{\"x\":\"\\uD800\\uD800\"}", "{\"x\":\"\\uDC00\"}", "{\"x\":\"a\\uDFFFb\"}", "{\"x\":\"\\uDE00\\uD83D\"}",
			"{\"\\uD800\":1}", "{\"x\":[\"\\uDC00\"]}", "{\"x\":{\"y\":\"\\uD800\"}}" })
	void loneSurrogateEscapesAreInvalidJson(String json) {
		assertThat(parse(json)).isNull();
	}

	@Test
	void legacyUpperCaseUnicodeEscapesAreRead() {
		assertThat(members("{\"x\":\"\\U00e9\",\"y\":\"\\UD83D\\uDE00\",\"z\":\"\\\\U00e9\"}"))
			.containsEntry("x", "\u00e9")
			.containsEntry("y", "\uD83D\uDE00")
			.containsEntry("z", "\\U00e9");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"x\":\"\\uD83D\\UDE00\"}", "{\"x\":\"\\UDE00\"}", "{\"x\":\"\\UD83D\"}",
			"{\"x\":\"\\U00e\"}" })
	void upperCaseEscapesOfLoneOrSecondSurrogatesAreInvalidJson(String json) {
		// After a high surrogate protobuf expects exactly a lower-case u escape; a low
		// surrogate alone is unpaired.
		assertThat(parse(json)).isNull();
	}

	// Duplicate names: ParseMap's keys_seen, at every depth.

	@ParameterizedTest
	@ValueSource(strings = { "{\"a\":1,\"a\":1}", "{\"a\":1,\"b\":2,\"a\":3}", "{\"o\":{\"k\":1,\"k\":2}}",
			"{\"a\":1,\"\\u0061\":2}", "{\"a\":1,'a':2}", "{a:1,\"a\":2}", "{\"l\":[{\"k\":1,\"k\":1}]}" })
	void duplicateNamesAreInvalidJson(String json) {
		assertThat(parse(json)).isNull();
	}

	@Test
	void theSameNameInDifferentObjectsIsFine() {
		assertThat(members("{\"k\":1,\"o\":{\"k\":2},\"l\":[{\"k\":3},{\"k\":4}]}")).containsEntry("k", 1L);
	}

	// Legacy syntax (allow_legacy_nonconformant_behavior).

	@Test
	void singleQuotedStringsAndNamesAreAccepted() {
		assertThat(members("{'alg':'RS256','q':'say \"hi\"','e':'it\\'s'}")).containsEntry("alg", "RS256")
			.containsEntry("q", "say \"hi\"")
			.containsEntry("e", "it's");
	}

	@Test
	void bareWordNamesAreAccepted() {
		assertThat(members("{alg:\"RS256\", _k1 : 1, Kid_2:'x'}")).containsEntry("alg", "RS256")
			.containsEntry("_k1", 1L)
			.containsEntry("Kid_2", "x");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{1a:1}", "{null:1}", "{true:1}", "{false:1}", "{$a:1}", "{a$:1}", "{a-b:1}", "{\u00e9:1}",
			"{:1}", "{a b:1}" })
	void otherBareNamesAreInvalidJson(String json) {
		assertThat(parse(json)).isNull();
	}

	@Test
	void trailingCommasAreAccepted() {
		assertThat(members("{\"a\":[1,2,],\"o\":{\"k\":1,},}")).containsEntry("a", List.of(1L, 2L))
			.containsEntry("o", Map.of("k", 1L));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{,}", "{\"a\":[,]}", "{\"a\":[1,,2]}", "{\"a\":1,,}", "{\"a\":1 \"b\":2}" })
	void missingValuesAreInvalidJson(String json) {
		assertThat(parse(json)).isNull();
	}

	@Test
	void rawControlCharactersInStringsAreAccepted() {
		assertThat(members("{\"x\":\"a\u0001b\tc\nd\u0000\",\"n\u0002\":1}")).containsEntry("x", "a\u0001b\tc\nd\u0000")
			.containsEntry("n\u0002", 1L);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\u0001\"a\":1}", "{\"a\":1}\u0001", "{\"a\":\"\\x\"}", "{/*c*/}", "{\"a\":1}//",
			"{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1.e5}",
			"{\"a\":0x10}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":'x\"}", "{\"a\":undefined}" })
	void otherNonStandardFormsAreInvalidJson(String json) {
		assertThat(parse(json)).isNull();
	}

	// The top level: ParseMap accepts null as an empty Struct, nothing else but an
	// object.

	@Test
	void topLevelNullIsAnEmptyObject() {
		assertThat(members(" null ")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "[]", "[{}]", "\"x\"", "1", "true", "nul", "nullx", "null null", "{}{}", "{} x",
			"{}}" })
	void anythingElseAtTheTopIsInvalidJson(String json) {
		assertThat(parse(json)).isNull();
	}

	@Test
	void whiteSpaceAroundTheObjectIsFine() {
		assertThat(members(" \t\r\n{ \"a\" : 1 }\n ")).containsEntry("a", 1L);
	}

	// Nesting: kDefaultDepth = 100, the top-level object counting as one.

	@Test
	void nestingOfOneHundredIsAccepted() {
		assertThat(parse("{\"a\":" + "[".repeat(99) + "]".repeat(99) + "}")).isNotNull();
		assertThat(parse("{\"a\":" + "{\"b\":".repeat(99) + "1" + "}".repeat(99) + "}")).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 100, 101, 10_000, 45_000 })
	void deeperNestingIsInvalidJson(int depth) {
		assertThat(parse("{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}")).isNull();
		assertThat(parse("{\"a\":" + "{\"b\":".repeat(depth) + "1" + "}".repeat(depth) + "}")).isNull();
	}

	// Numbers: doubles that must be finite (ParseRawNumber); exact longs kept here.

	@Test
	void integersThatFitALongStayExact() {
		assertThat(members("{\"a\":9223372036854775807,\"b\":-9223372036854775808,\"c\":-0,\"d\":9007199254740993}"))
			.containsEntry("a", Long.MAX_VALUE)
			.containsEntry("b", Long.MIN_VALUE)
			.containsEntry("c", 0L)
			.containsEntry("d", 9007199254740993L);
	}

	@Test
	void largerNumbersAreDoubles() {
		String digits309 = "1" + "0".repeat(308);
		assertThat(
				members("{\"a\":9223372036854775808,\"b\":" + digits309 + ",\"c\":1e308,\"d\":1e-400,\"e\":-1e-400}"))
			.containsEntry("a", 9.223372036854775808E18)
			.containsEntry("b", 1e308)
			.containsEntry("c", 1e308)
			.containsEntry("d", 0.0)
			.containsEntry("e", -0.0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "1e309", "-1e309", "1e400", "2E+308", "1.8e308", "1e99999999999999999999" })
	void numbersBeyondADoubleAreInvalidJson(String number) {
		assertThat(parse("{\"a\":" + number + "}")).isNull();
	}

	@Test
	void integersOfMoreThan309DigitsAreInvalidJson() {
		assertThat(parse("{\"a\":" + "1".repeat(310) + "}")).isNull();
		assertThat(parse("{\"a\":" + "9".repeat(40_000) + "}")).isNull();
	}

	@Test
	void longFractionsThatStayFiniteAreAccepted() {
		// protobuf accepts any finite number whatever its length; the token size limit
		// bounds it.
		assertThat(members("{\"a\":0." + "0".repeat(40_000) + "1,\"b\":1." + "0".repeat(4_000) + "}"))
			.containsEntry("a", 0.0)
			.containsEntry("b", 1.0);
	}

	// Size: the whole segment is bounded by the token size limit; within it strings and
	// names are free.

	@Test
	void longStringsAndNamesWithinTheTokenLimitAreAccepted() {
		String name = "n".repeat(20_000);
		String value = "v".repeat(20_000);
		assertThat(members("{\"" + name + "\":\"" + value + "\"}")).containsEntry(name, value);
	}

	@Test
	void aSegmentBeyondTheTokenLimitIsRefused() {
		assertThat(parse("{\"a\":\"" + "x".repeat(ParsedToken.MAX_LENGTH + 1) + "\"}")).isNull();
	}

	// The heap estimate that bounds the verified-token cache.

	@Test
	void theEstimateCountsCharactersAndValues() {
		TokenJson.Segment text = parse("{\"a\":\"" + "x".repeat(10_000) + "\"}");
		TokenJson.Segment values = parse("{\"a\":[" + "{},".repeat(3_000) + "{}]}");
		assertThat(text.retainedBytes()).isBetween(10_000, 11_000);
		// Each empty object costs a map and its view: far more than its three characters.
		assertThat(values.retainedBytes()).isGreaterThan(3_000 * 64);
	}

}
