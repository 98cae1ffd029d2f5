package io.github.istiosecurity.internal.web.servlet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One decoding of a normalized path into a servlet path: UTF-8 escapes decoded,
 * separators never added.
 */
class ServletPathDecoderTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/plain                | /plain
			/caf%C3%A9            | /café
			/a%20b                | /a b
			/a%2Fb/c%5cd          | /a%2Fb/c%5cd
			/%252e%252e           | /%2e%2e
			/100%                 | /100%
			/a%zzb                | /a%zzb
			/%c0%ae               | /\uFFFD\uFFFD
			""")
	void decodesOnce(String path, String decoded) {
		assertThat(ServletPathDecoder.decode(path)).isEqualTo(decoded);
	}

}
