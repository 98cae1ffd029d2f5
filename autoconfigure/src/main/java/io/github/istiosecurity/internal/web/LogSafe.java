package io.github.istiosecurity.internal.web;

/**
 * Request data made safe for a log line: no control or non-ASCII characters (no forged
 * log lines), and a bounded length.
 */
final class LogSafe {

	private static final int MAX_LENGTH = 256;

	private LogSafe() {
	}

	static String path(String path) {
		int length = Math.min(path.length(), MAX_LENGTH);
		StringBuilder safe = null;
		for (int i = 0; i < length; i++) {
			char c = path.charAt(i);
			if (c < 0x20 || c >= 0x7F) {
				if (safe == null) {
					safe = new StringBuilder(length).append(path, 0, i);
				}
				safe.append('?');
			}
			else if (safe != null) {
				safe.append(c);
			}
		}
		String result = (safe != null) ? safe.toString() : path.substring(0, length);
		return (path.length() > MAX_LENGTH) ? result + "..." : result;
	}

}
