package io.github.istiosecurity.internal.authz.engine;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import io.github.istiosecurity.authz.PathNormalization;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.istiosecurity.authz.PathNormalization.BASE;
import static io.github.istiosecurity.authz.PathNormalization.DECODE_AND_MERGE_SLASHES;
import static io.github.istiosecurity.authz.PathNormalization.MERGE_SLASHES;
import static io.github.istiosecurity.authz.PathNormalization.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link PathNormalizer}. Expected values marked "400" mean {@code null} (Envoy
 * rejects the request).
 */
class PathNormalizerTests {

	private static final String REJECTED = "400";

	// docs/semantics.md §5.3, i.e. Istio's
	// tests/integration/security/normalization_test.go. The "—" cells of §5.3
	// (the %c0 rows outside DECODE_AND_MERGE_SLASHES, /admin%00 outside it) are filled in
	// from Envoy's code.
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					# input                                 | NONE                                    | BASE                              | MERGE_SLASHES                     | DECODE_AND_MERGE_SLASHES
					/                                       | /                                       | /                                 | /                                 | /
					/app#foo                                | /app                                    | /app                              | /app                              | /app
					/app/                                   | /app/                                   | /app/                             | /app/                             | /app/
					/app                                    | /app                                    | /app                              | /app                              | /app
					/app/../admin                           | /app/../admin                           | /admin                            | /admin                            | /admin
					/app//                                  | /app//                                  | /app//                            | /app/                             | /app/
					/app/%2f                                | /app/%2f                                | /app/%2f                          | /app/%2f                          | /app/
					/app%2f/                                | /app%2f/                                | /app%2f/                          | /app%2f/                          | /app/
					/xyz%30..//abc                          | /xyz%30..//abc                          | /xyz0..//abc                      | /xyz0../abc                       | /xyz0../abc
					/app/%2E./admin                         | /app/%2E./admin                         | /admin                            | /admin                            | /admin
					/app\\admin                             | /app\\admin                             | /app/admin                        | /app/admin                        | /app/admin
					/app/\\/\\/\\admin                      | /app/\\/\\/\\admin                      | /app//////admin                   | /app/admin                        | /app/admin
					/%2Fapp%5cadmin%5Cabc                   | /%2Fapp%5cadmin%5Cabc                   | /%2Fapp%5cadmin%5Cabc             | /%2Fapp%5cadmin%5Cabc             | /app/admin/abc
					/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc  | /%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc  | /%5Capp%2f%5c%2F..%2fadmin%5c/abc | /%5Capp%2f%5c%2F..%2fadmin%5c/abc | /app/admin/abc
					/app//../admin                          | /app//../admin                          | /app/admin                        | /app/admin                        | /app/admin
					/app//../../admin                       | /app//../../admin                       | /admin                            | /admin                            | /admin
					/%c0%2e%c0%2e/admin                     | /%c0%2e%c0%2e/admin                     | /%c0.%c0./admin                   | /%c0.%c0./admin                   | /%c0.%c0./admin
					/%c0%2fadmin                            | /%c0%2fadmin                            | /%c0%2fadmin                      | /%c0%2fadmin                      | /%c0/admin
					/admin%00                               | /admin%00                               | 400                               | 400                               | 400
					""")
	void referenceTableOfIstiosIntegrationTest(String input, String none, String base, String mergeSlashes,
			String decodeAndMergeSlashes) {
		assertNormalized(NONE, input, none);
		assertNormalized(BASE, input, base);
		assertNormalized(MERGE_SLASHES, input, mergeSlashes);
		assertNormalized(DECODE_AND_MERGE_SLASHES, input, decodeAndMergeSlashes);
	}

	// §5.3 last rows and Istio's "NotNormalized" group: nothing is case-folded, decoded
	// twice or treated as special.
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/Admin", "/ADMIN", "/admin;a=b", "/admin;a=b/xyz", "/admin,a=b/xyz", "/;/admin",
			"/.../admin", "/..../admin", "/%252e%252e/admin", "/%252e%252e%252fadmin", "/%25c0%25ae%25c0%25ae/admin",
			"/%25c0%25afadmin", "/%c0%ae%c0%ae/admin", "/%c0%afadmin", "/%c1%9cadmin", "/0x2e0x2e/admin",
			"/0x2f0x2fadmin", "/0x5c0x5cadmin" })
	void pathsThatNoOptionChanges(String path) {
		for (PathNormalization normalization : PathNormalization.values()) {
			assertNormalized(normalization, path, path);
		}
	}

	// Envoy's CVE-2026-73551 fix (default on since Istio 1.29.7/1.30.4): §5.3 still lists
	// "/..;/admin" as unchanged,
	// which was the behaviour before; the application (Tomcat) treats "..;" as "..", so
	// keeping it would let
	// "/public/..;/admin" match an ALLOW on "/public*" and reach /admin.
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			/..;/admin                          | /admin
			/public/..;/admin                   | /admin
			/xyz/..;foo=bar/abc                 | /abc
			/xyz/..;foo=bar                     | /
			/xyz/.;foo=bar/abc                  | /xyz/abc
			/xyz/.;foo=bar                      | /xyz/
			/xyz/..;foo=bar/.;v1=2,v2=3/abc     | /abc
			/.;aaa/..;foo=bar/abc/.;mmm         | /abc/
			/xyz/..;foo=bar/.;fff=zzz/remain;b  | /remain;b
			/xyz/...;foo                        | /xyz/...;foo
			/xyz/a..;foo                        | /xyz/a..;foo
			/xyz/%2e%2e;foo/abc                 | /xyz/..;foo/abc
			""")
	void dotSegmentsWithParametersAreCollapsed(String input, String expected) {
		assertNormalized(BASE, input, expected);
		assertNormalized(MERGE_SLASHES, input, expected);
		assertNormalized(DECODE_AND_MERGE_SLASHES, input, expected);
		assertNormalized(NONE, input, input);
	}

	// Istio's "PercentEncoded" group, %01 to %ff in lower-case hex, extended to upper
	// case and to BASE.
	@ParameterizedTest(name = "%{0}")
	@MethodSource("everyEscapedByte")
	void everyPercentEncodedByte(String hex) {
		int value = Integer.parseInt(hex, 16);
		String input = "/admin%" + hex;
		boolean unreserved = Character.isLetterOrDigit(value) && value < 0x80 || "-._~".indexOf(value) >= 0;
		String decoded = unreserved ? "/admin" + (char) value : input;
		assertNormalized(BASE, input, decoded);
		assertNormalized(MERGE_SLASHES, input, decoded);
		boolean slash = value == '/' || value == '\\';
		assertNormalized(DECODE_AND_MERGE_SLASHES, input, slash ? "/admin/" : decoded);
		assertNormalized(NONE, input, input);
	}

	static Stream<String> everyEscapedByte() {
		List<String> hex = new ArrayList<>();
		for (int i = 1; i <= 0xFF; i++) {
			String lower = String.format("%02x", i);
			hex.add(lower);
			if (!lower.equals(lower.toUpperCase(Locale.ROOT))) {
				hex.add(lower.toUpperCase(Locale.ROOT));
			}
		}
		return hex.stream();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			/a/%2F%2f/c         | /a/%2F%2f/c
			/a/%3a%3A/%Aa%aA    | /a/%3a%3A/%Aa%aA
			/%5c%25             | /%5c%25
			/%c0%af             | /%c0%af
			/%41%7e%7E%2d%5F    | /A~~-_
			""")
	void escapesThatStayKeepTheirHexCase(String input, String expected) {
		assertNormalized(BASE, input, expected);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			/%252e%252e/admin   | /%252e%252e/admin
			/%2525              | /%2525
			/%25%32%65          | /%252e
			/%25%32%66          | /%252f
			/a/%252e%252e       | /a/%252e%252e
			""")
	void decodesOnlyOnce(String input, String expected) {
		assertNormalized(BASE, input, expected);
		assertNormalized(DECODE_AND_MERGE_SLASHES, input, expected);
	}

	// Istio's TestAuthz_PathNormalization (§5.3) and Ex 18: ALLOW "/public*" must not see
	// these as /public...
	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = { "/public/../private", "/public/./../private", "/public/.././private", "/public/%2E%2E/private",
					"/public/%2e%2e/private", "/public/%2E/%2E%2E/private", "/public/%2e%2e/%2e/private" })
	void dotSegmentsOutOfAPrefixAreResolved(String input) {
		assertNormalized(BASE, input, "/private");
		assertNormalized(MERGE_SLASHES, input, "/private");
		assertNormalized(DECODE_AND_MERGE_SLASHES, input, "/private");
	}

	@Test
	void dotSegmentsBackIntoThePrefixStayAllowed() {
		assertNormalized(BASE, "/public/../public", "/public");
	}

	// Envoy's path_utility_test NormalizeValidPaths and edges of the canonicalizer's dot
	// handling.
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			/a/b/../c           | /a/c
			/a/b/./c            | /a/b/c
			/a/b/../../../../c  | /c
			/a/..\\c            | /c
			/a\\..\\b           | /b
			/a/b/%2E%2E/c       | /a/c
			/.                  | /
			/..                 | /
			/../..              | /
			/a/.                | /a/
			/a/..               | /
			/a/%2e              | /a/
			/a/.%2E             | /
			/a/.%2E/b           | /b
			/a/...              | /a/...
			/.a/..a/a.          | /.a/..a/a.
			/a/..%2f..          | /a/..%2f..
			/a/.well-known      | /a/.well-known
			/a/./               | /a/
			/a//..              | /a/
			""")
	void dotSegments(String input, String expected) {
		assertNormalized(BASE, input, expected);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			/%                  | /%
			/a%2                | /a%2
			/a%zz/.             | /a%zz/
			/%%2e%2e/           | /%../
			/%%41               | /%A
			""")
	void percentSignsThatStartNoEscapeAreKept(String input, String expected) {
		assertNormalized(BASE, input, expected);
	}

	// The canonicalizer percent-encodes these raw characters (Envoy's HTTP/1 codec lets
	// them through).
	@Test
	void rawCharactersOutsideTheUriGrammarAreEscapedWhenNormalizing() {
		String raw = "/a\"b<c>d^e`f{g|h}i";
		assertNormalized(BASE, raw, "/a%22b%3Cc%3Ed%5Ee%60f%7Bg%7Ch%7Di");
		assertNormalized(NONE, raw, raw);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			//a//b//            | /a/b/
			/a///b              | /a/b
			//                  | //
			///                 | //
			/a/..//             | //
			/a/b//../c          | /a/b/c
			""")
	void mergingSlashesAsEnvoyDoes(String input, String expected) {
		assertNormalized(MERGE_SLASHES, input, expected);
		assertNormalized(DECODE_AND_MERGE_SLASHES, input, expected);
	}

	// docs/semantics.md §7.2 Ex 17 to 22.
	@Test
	void workedExamples() {
		// Ex 17 and 19: empty segments survive BASE and are merged by MERGE_SLASHES
		assertNormalized(BASE, "/store//cart", "/store//cart");
		assertNormalized(MERGE_SLASHES, "/store//cart", "/store/cart");
		assertNormalized(BASE, "/data//secret", "/data//secret");
		assertNormalized(MERGE_SLASHES, "/data//secret", "/data/secret");
		// Ex 18
		assertNormalized(BASE, "/public/../private", "/private");
		assertNormalized(BASE, "/public/%2e%2e/private", "/private");
		assertNormalized(BASE, "/public/../public", "/public");
		// Ex 20: an encoded slash is a slash only with DECODE_AND_MERGE_SLASHES
		assertNormalized(BASE, "/a%2Fb", "/a%2Fb");
		assertNormalized(MERGE_SLASHES, "/a%2Fb", "/a%2Fb");
		assertNormalized(DECODE_AND_MERGE_SLASHES, "/a%2Fb", "/a/b");
		// Ex 21: a backslash is a slash unless NONE
		assertNormalized(BASE, "/admin\\x", "/admin/x");
		assertNormalized(NONE, "/admin\\x", "/admin\\x");
		// Ex 22: no case folding
		for (PathNormalization normalization : PathNormalization.values()) {
			assertNormalized(normalization, "/ADMIN", "/ADMIN");
		}
	}

	// Envoy's path_utility_test InvalidPaths and Istio's "Invalid" group.
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/admin%00", "/%00", "/xyz/.%00../abc", "/xyz/%00.%00./abc", "/xyz/AAAAA%%0000/abc",
			"/a/%00/../b" })
	void encodedNulIsRejectedWhenNormalizing(String path) {
		assertNormalized(BASE, path, REJECTED);
		assertNormalized(MERGE_SLASHES, path, REJECTED);
		assertNormalized(DECODE_AND_MERGE_SLASHES, path, REJECTED);
		// with normalize_path off nothing looks inside escapes
		assertNormalized(NONE, path, path);
	}

	// Envoy's HTTP/1 codec accepts only '!' to '~' in the request target.
	@ParameterizedTest
	@EnumSource(PathNormalization.class)
	void rawControlSpaceDelAndNonAsciiCharactersAreRejected(PathNormalization normalization) {
		for (String path : List.of("/a\u0000b", "/a\tb", "/a\nb", "/a\rb", "/a\u000cb", "/a b", "/a\u007fb",
				"/caf\u00e9", "/\u00c3\u00a9", "/\u20ac", "/a/\u0001")) {
			assertNormalized(normalization, path, REJECTED);
		}
	}

	// Envoy's connection manager answers 404 for a path that is empty or not relative,
	// before normalizing.
	@ParameterizedTest
	@EnumSource(PathNormalization.class)
	void pathsNotStartingWithASlashAreRejected(PathNormalization normalization) {
		for (String path : List.of("", "*", "a/b", "\\a", "%2Fa", "?x=1", "http://host/a")) {
			assertNormalized(normalization, path, REJECTED);
		}
	}

	@ParameterizedTest
	@EnumSource(PathNormalization.class)
	void queryAndFragmentAreCutOff(PathNormalization normalization) {
		assertNormalized(normalization, "/public?x=1", "/public");
		assertNormalized(normalization, "/app#foo", "/app");
		assertNormalized(normalization, "/app?x#y", "/app");
		assertNormalized(normalization, "/app#y?x", "/app");
		assertNormalized(normalization, "/app?", "/app");
		assertNormalized(normalization, "/app?x=/../%00", "/app");
	}

	@Test
	void queryIsCutOffBeforeNormalizing() {
		assertNormalized(BASE, "/a/../b?x=/../c", "/b");
		assertNormalized(MERGE_SLASHES, "/a//b?x=//c", "/a/b");
		assertNormalized(DECODE_AND_MERGE_SLASHES, "/a%2fb?x=%2f", "/a/b");
	}

	@ParameterizedTest
	@EnumSource(PathNormalization.class)
	void pathsThatNeedNothingAreReturnedAsTheSameInstance(PathNormalization normalization) {
		PathNormalizer normalizer = new PathNormalizer(normalization);
		for (String path : List.of("/", "/api/v1/items", "/api/v1.2/items.json", "/a/b/", "/a-b_c~d;e=f,g",
				"/@:!$&'()*+=", "/a.b./c..d")) {
			String copy = new String(path.toCharArray());
			assertThat(normalizer.normalize(copy)).as(path).isSameAs(copy);
		}
	}

	@Test
	void pathsThatCanonicalizationLeavesAloneAreReturnedAsTheSameInstance() {
		String path = new String("/a%2Fb/.well-known/%252e".toCharArray());
		assertThat(new PathNormalizer(BASE).normalize(path)).isSameAs(path);
		String slashes = new String("/a//b".toCharArray());
		assertThat(new PathNormalizer(BASE).normalize(slashes)).isSameAs(slashes);
	}

	@Test
	void fastPathDoesNotAllocate() {
		assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long thread = Thread.currentThread().getId();
		PathNormalizer normalizer = new PathNormalizer(DECODE_AND_MERGE_SLASHES);
		String path = "/api/v1/orders/12345/items.json";
		threads.getThreadAllocatedBytes(thread);
		long before = threads.getThreadAllocatedBytes(thread);
		for (int i = 0; i < 100_000; i++) {
			normalizer.normalize(path);
		}
		long allocated = threads.getThreadAllocatedBytes(thread) - before;
		// 100,000 calls: anything per call would be megabytes; allow for the measurement
		// itself
		assertThat(allocated).isLessThan(4096);
	}

	@Test
	void noneReturnsAnyValidPathAsTheSameInstance() {
		String path = new String("/a/../b//c%2F\\d".toCharArray());
		assertThat(new PathNormalizer(NONE).normalize(path)).isSameAs(path);
	}

	// "/x/.." before a path forces the slow path and changes nothing else, so any path
	// the fast path wrongly
	// returns unchanged shows up as a difference.
	@ParameterizedTest
	@EnumSource(PathNormalization.class)
	void fastPathAgreesWithTheFullAlgorithmOnRandomPaths(PathNormalization normalization) {
		PathNormalizer normalizer = new PathNormalizer(normalization);
		String[] tokens = { "/", "/", "/", ".", "..", ".;", "a", "b;c", "%2e", "%2E", "%2f", "%2F", "%5c", "\\", "%41",
				"%7e", "%25", "%", "%00", "|", "{", "?", "#", "%c0" };
		Random random = new Random(20260826);
		for (int n = 0; n < 20_000; n++) {
			StringBuilder path = new StringBuilder("/");
			for (int t = random.nextInt(8); t >= 0; t--) {
				path.append(tokens[random.nextInt(tokens.length)]);
			}
			String expected = normalizer.normalize("/x/.." + path);
			if (normalization == NONE && expected != null) {
				expected = expected.substring("/x/..".length());
			}
			assertThat(normalizer.normalize(path.toString())).as("%s %s", normalization, path).isEqualTo(expected);
		}
	}

	@Test
	void longHostilePathsAreNormalized() {
		String ups = "/..".repeat(50_000) + "/x";
		assertNormalized(BASE, ups, "/x");
		String slashes = "/" + "/".repeat(100_000) + "a";
		assertNormalized(MERGE_SLASHES, slashes, "/a");
		String escapes = "/" + "%2e%2e%2f".repeat(10_000) + "a";
		assertNormalized(DECODE_AND_MERGE_SLASHES, escapes, "/a");
		assertNormalized(BASE, escapes, escapes.replace("%2e", "."));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requestTargets")
	void pathOfRequestTarget(String requestTarget, String path) {
		assertThat(PathNormalizer.pathOf(requestTarget)).isEqualTo(path);
	}

	static Stream<Arguments> requestTargets() {
		return Stream.of(Arguments.of("/a/b", "/a/b"), Arguments.of("/a/b?x=1", "/a/b"),
				Arguments.of("/a/b#frag", "/a/b"), Arguments.of("/a?x#y", "/a"), Arguments.of("/a#y?x", "/a"),
				Arguments.of("/?", "/"), Arguments.of("?x", ""), Arguments.of("", ""), Arguments.of("*", "*"),
				Arguments.of("http://example.com/a/b?x=1", "/a/b"), Arguments.of("HTTPS://example.com:8443/a", "/a"),
				Arguments.of("http://example.com", "/"), Arguments.of("http://example.com?x=/a", "/"),
				Arguments.of("http://user@example.com#/a", "/"), Arguments.of("a+b-c.d://h/p", "/p"),
				Arguments.of("relative/path?x", "relative/path"), Arguments.of("1http://h/p", "1http://h/p"));
	}

	@Test
	void pathOfReturnsTheSameInstanceWhenThereIsNothingToCut() {
		String target = new String("/a/b".toCharArray());
		assertThat(PathNormalizer.pathOf(target)).isSameAs(target);
	}

	@Test
	void normalizerTellsItsOption() {
		assertThat(new PathNormalizer(MERGE_SLASHES).normalization()).isEqualTo(MERGE_SLASHES);
		assertThat(new PathNormalizer(MERGE_SLASHES)).hasToString("PathNormalizer[MERGE_SLASHES]");
	}

	private static void assertNormalized(PathNormalization normalization, String input, @Nullable String expected) {
		String normalized = new PathNormalizer(normalization).normalize(input);
		if (REJECTED.equals(expected)) {
			assertThat(normalized).as("%s %s", normalization, input).isNull();
		}
		else {
			assertThat(normalized).as("%s %s", normalization, input).isEqualTo(expected);
		}
	}

}
