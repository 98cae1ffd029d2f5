package io.github.istiosecurity.internal.web.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a normalized path once, as a servlet container decodes the request URI into the
 * servlet path: percent-escapes as UTF-8 bytes. Encoded {@code /} and {@code \}
 * ({@code %2F}, {@code %5C}) stay encoded, so that decoding never adds a path separator
 * the decision did not see; a {@code %} that does not start an escape stays as it is, as
 * Envoy leaves it.
 */
final class ServletPathDecoder {

	private ServletPathDecoder() {
	}

	static String decode(String path) {
		int percent = path.indexOf('%');
		if (percent < 0) {
			return path;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
		bytes.write(path.getBytes(StandardCharsets.ISO_8859_1), 0, percent);
		int length = path.length();
		int i = percent;
		while (i < length) {
			char c = path.charAt(i);
			if (c == '%' && i + 2 < length && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
				int value = Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16);
				if (value == '/' || value == '\\') {
					bytes.write(c);
					bytes.write(path.charAt(i + 1));
					bytes.write(path.charAt(i + 2));
				}
				else {
					bytes.write(value);
				}
				i += 3;
			}
			else {
				bytes.write(c);
				i++;
			}
		}
		// malformed UTF-8 becomes U+FFFD, as Spring decodes path segments
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static boolean isHex(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

}
