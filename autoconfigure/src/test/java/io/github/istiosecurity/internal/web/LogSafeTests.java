package io.github.istiosecurity.internal.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request data in log lines: no forged lines, bounded length, the common case untouched.
 */
class LogSafeTests {

	@Test
	void printableAsciiIsKeptAsItIs() {
		String path = "/anything/x%0d%0a";
		assertThat(LogSafe.path(path)).isSameAs(path);
	}

	@Test
	void controlAndNonAsciiCharactersAreReplaced() {
		assertThat(LogSafe.path("/a\r\nINFO forged\u00e9")).isEqualTo("/a??INFO forged?");
	}

	@Test
	void longPathsAreCut() {
		assertThat(LogSafe.path("/" + "a".repeat(1000))).hasSize(259).endsWith("a...");
	}

}
