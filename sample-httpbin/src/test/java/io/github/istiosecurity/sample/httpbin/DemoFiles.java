package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed demo files under {@code sample-httpbin/demo/tokens} (tests run in the
 * module directory).
 */
final class DemoFiles {

	private static final Path TOKENS = Path.of("demo", "tokens");

	private DemoFiles() {
	}

	/**
	 * Returns a committed token or the JWKS, without the trailing newline.
	 * @param name the file name, {@code user1.jwt}
	 * @return the content
	 */
	static String read(String name) {
		try {
			return Files.readString(TOKENS.resolve(name)).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
