package io.github.istiosecurity.internal.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dot segments as a container or framework would resolve them, in paths that
 * normalization NONE keeps.
 */
class DotSegmentsTests {

	@ParameterizedTest
	@ValueSource(strings = { "/a/../b", "/a/./b", "/..", "/.", "/a/..", "/a/%2e%2e/b", "/a/%2E./b", "/a/.%2e/b",
			"/a/%2e/b", "/a\\..\\b", "/a/%2E%2E" })
	void found(String path) {
		assertThat(DotSegments.present(path)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/a/b", "/a/.../b", "/a/..b", "/a/b..", "/a/.b", "/a/%2e%2e%2e", "/a/%252e%252e/b",
			"/a/%2f../b", "/a/%2", "/a/%2e%2" })
	void notFound(String path) {
		assertThat(DotSegments.present(path)).isFalse();
	}

}
