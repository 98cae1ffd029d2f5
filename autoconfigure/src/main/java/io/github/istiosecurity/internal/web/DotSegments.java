package io.github.istiosecurity.internal.web;

/**
 * Finds dot segments ({@code .} or {@code ..}, also written {@code %2e} or {@code %2E})
 * in a path that was not normalized, as a container or framework would resolve them:
 * segments end at {@code /} or {@code \}.
 */
final class DotSegments {

	private DotSegments() {
	}

	static boolean present(String path) {
		int length = path.length();
		int start = 0;
		for (int i = 0; i <= length; i++) {
			if (i == length || path.charAt(i) == '/' || path.charAt(i) == '\\') {
				if (i > start && isDots(path, start, i)) {
					return true;
				}
				start = i + 1;
			}
		}
		return false;
	}

	/**
	 * Whether {@code path[start, end)} is one or two dots, each plain or percent-encoded.
	 */
	private static boolean isDots(String path, int start, int end) {
		int dots = 0;
		int i = start;
		while (i < end) {
			if (path.charAt(i) == '.') {
				i++;
			}
			else if (i + 3 <= end && path.charAt(i) == '%' && path.charAt(i + 1) == '2'
					&& (path.charAt(i + 2) == 'e' || path.charAt(i + 2) == 'E')) {
				i += 3;
			}
			else {
				return false;
			}
			dots++;
		}
		return dots == 1 || dots == 2;
	}

}
