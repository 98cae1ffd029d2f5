package io.github.istiosecurity.internal.extauthz;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Header name lists of a provider as istiod writes them for Envoy: exact, {@code prefix*}
 * and {@code *suffix}, ignoring case; a single {@code *} refused.
 */
class HeaderNamePatternsTests {

	@Test
	void noPatternsMatchNothing() {
		assertThat(HeaderNamePatterns.of(List.of(), "f").isEmpty()).isTrue();
		assertThat(HeaderNamePatterns.of(List.of(), "f").matches("x")).isFalse();
	}

	@Test
	void exactPrefixAndSuffixIgnoreCase() {
		HeaderNamePatterns patterns = HeaderNamePatterns.of(List.of("X-Exact", "x-pre*", "*-post"), "f");
		assertThat(patterns.matches("x-exact")).isTrue();
		assertThat(patterns.matches("X-EXACT")).isTrue();
		assertThat(patterns.matches("x-exactly")).isFalse();
		assertThat(patterns.matches("X-Pre")).isTrue();
		assertThat(patterns.matches("x-prefixed")).isTrue();
		assertThat(patterns.matches("a-x-pre")).isFalse();
		assertThat(patterns.matches("any-POST")).isTrue();
		assertThat(patterns.matches("-post")).isTrue();
		assertThat(patterns.matches("post")).isFalse();
	}

	@Test
	void aSingleWildcardIsRefusedAsIstiodRefusesIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> HeaderNamePatterns.of(List.of("*"), "field"))
			.withMessageContaining("field: a single wildcard (\"*\") is not supported");
	}

}
