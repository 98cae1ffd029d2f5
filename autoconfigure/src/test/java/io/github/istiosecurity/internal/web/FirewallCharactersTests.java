package io.github.istiosecurity.internal.web;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The regex-free firewall predicates give exactly the answers of Spring Security's
 * patterns (servlet) and predicates (WebFlux, which also asks about absent values), for
 * every code point.
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
	void agreeWithTheWebFluxFirewallsOwnPredicatesOnEveryCodePointAndNull() {
		assertThat(FirewallCharacters.absentOrAssignedAndNotControl(null))
			.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(null))
			.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_PARAMETER_NAMES.test(null))
			.isTrue();
		assertThat(FirewallCharacters.absentOrHeaderValue(null))
			.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(null))
			.isTrue();
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String text = "a" + new String(Character.toChars(codePoint)) + "b";
			assertThat(FirewallCharacters.absentOrAssignedAndNotControl(text)).as("U+%04X", codePoint)
				.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES.test(text))
				.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_PARAMETER_NAMES.test(text));
			assertThat(FirewallCharacters.absentOrHeaderValue(text)).as("U+%04X", codePoint)
				.isEqualTo(StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES.test(text));
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
