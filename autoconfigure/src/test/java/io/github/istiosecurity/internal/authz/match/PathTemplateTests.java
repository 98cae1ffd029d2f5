package io.github.istiosecurity.internal.authz.match;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Envoy URI templates in {@code paths} (§3.12): Istio's validation messages and the
 * matching table of its integration test.
 */
class PathTemplateTests {

	@ParameterizedTest(name = "{0} ~ {1} -> {2}")
	@CsvSource(delimiter = '|', textBlock = """
			/allow/admin/{**}  | /allow/admin/            | true
			/allow/admin/{**}  | /allow/admin/temp        | true
			/allow/admin/{**}  | /allow/admin/temp.txt    | true
			/allow/admin/{**}  | /allow/admin/foo/temp.txt| true
			/allow/admin/{**}  | /allow/admin             | false
			/allow/admin/{**}  | /allow/user/             | false
			/allow/admin/{**}  | /allow                   | false
			/foo/{*}/bar/{**}  | /foo/buzz/bar/bat.txt    | true
			/foo/{*}/bar/{**}  | /foo/buzz/bar/bat.temp.txt | true
			/foo/{*}/bar/{**}  | /foo/buzz/bar/bat/fuzz.txt | true
			/foo/{*}/bar/{**}  | /foo/buzz/bar/bat        | true
			/foo/{*}/bar/{**}  | /foo/bar/bat.txt         | false
			/foo/{*}/bar/{**}  | /foo//bar/bat.txt        | false
			/store/{**}/cart   | /store//cart             | true
			/store/{**}/cart   | /store/foo/cart          | true
			/store/{**}/cart   | /store/foo/bar/cart      | true
			/store/{**}/cart   | /store/cart              | false
			/{*}               | /a                       | true
			/{*}               | /a/                      | false
			/{*}               | /                        | false
			/{**}              | /                        | true
			/{*}/x             | /a b/x                   | false
			/{**}              | /a*b                     | false
			/foo/{**}/         | /foo/bar/baz.txt         | false
			/foo/{**}/         | /foo/bar/                | true
			""")
	void matchesLikeEnvoy(String template, String path, boolean matches) {
		assertThat(PathTemplate.validate(template, "Paths")).isNull();
		assertThat(PathTemplate.compile(template).matches(path)).as("%s ~ %s", template, path).isEqualTo(matches);
	}

	@Test
	void validationMessagesAreIstios() {
		assertThat(PathTemplate.validate("/api/{**}/{*}", "Paths"))
			.isEqualTo("invalid or unsupported path api/{**}/{*}, found in Paths. {**} is not the last operator");
		assertThat(PathTemplate.validate("/users/{id}", "Paths")).isEqualTo(
				"invalid or unsupported path users/{id}, found in Paths. Contains '{' or '}' beyond a supported path template");
		assertThat(PathTemplate.validate("/files/{*}/a b", "NotPaths")).isEqualTo(
				"invalid or unsupported path files/{*}/a b, found in NotPaths. Contains segment a b with invalid string literal");
		assertThat(PathTemplate.validate("/{**}/edit", "Paths")).isNull();
		assertThat(PathTemplate.validate("/plain/*", "Paths")).isNull();
	}

	@Test
	void onlyBracedOperatorsMakeATemplate() {
		assertThat(PathTemplate.isTemplate("/a/{*}")).isTrue();
		assertThat(PathTemplate.isTemplate("/a/{**}")).isTrue();
		assertThat(PathTemplate.isTemplate("/a/*")).isFalse();
	}

}
