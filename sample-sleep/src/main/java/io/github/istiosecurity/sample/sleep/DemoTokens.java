package io.github.istiosecurity.sample.sleep;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.io.ClassPathResource;

/**
 * The demo tokens of sample-httpbin ({@code sample-httpbin/demo/tokens/*.jwt}), which the
 * build copies into this jar under {@code demo/tokens/}: one set of files for both
 * samples. A name that is not a file there ({@code deadbeef}) is used as the token text
 * itself, as the walk-through does.
 */
final class DemoTokens {

	private static final Map<String, String> cache = new ConcurrentHashMap<>();

	private DemoTokens() {
	}

	/**
	 * Returns the token a walk-through step names.
	 * @param name a file name such as {@code user1.jwt}, or a literal token
	 * @return the token text
	 */
	static String value(String name) {
		if (!name.endsWith(".jwt")) {
			return name;
		}
		return cache.computeIfAbsent(name, DemoTokens::read);
	}

	private static String read(String name) {
		ClassPathResource file = new ClassPathResource("demo/tokens/" + name);
		try (InputStream in = file.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("demo token " + name + " is not in the jar", ex);
		}
	}

}
