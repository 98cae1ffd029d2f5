package io.github.istiosecurity.web.servlet;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The regex-free firewall predicates give exactly the answers of Spring Security's patterns, for every
 * code point.
 */
class FirewallCharactersTests {

	private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

	private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

	@Test
	void agreeWithSpringSecuritysPatternsOnEveryCodePoint() {
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String text = "a" + new String(Character.toChars(codePoint)) + "b";
			assertThat(FirewallCharacters.assignedAndNotControl(text)).as("U+%04X", codePoint)
				.isEqualTo(NAME.matcher(text).matches());
			assertThat(FirewallCharacters.headerValue(text)).as("U+%04X", codePoint)
				.isEqualTo(VALUE.matcher(text).matches());
		}
	}

	@Test
	void loneSurrogatesAndEmptyText() {
		for (String text : new String[] { "", "\uD800", "x\uDC00", "\uD83D\uDE00", "\uDE00\uD83D" }) {
			assertThat(FirewallCharacters.assignedAndNotControl(text)).as(text).isEqualTo(NAME.matcher(text).matches());
			assertThat(FirewallCharacters.headerValue(text)).as(text).isEqualTo(VALUE.matcher(text).matches());
		}
	}

}
