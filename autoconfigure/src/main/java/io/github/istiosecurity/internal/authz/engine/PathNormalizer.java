package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.PathNormalization;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites a request path as Istio's sidecar does for one {@link PathNormalization}
 * (docs/semantics.md §5): the result is both the path that {@code paths}/{@code notPaths}
 * are matched against and the path the application sees. Immutable and thread-safe; one
 * instance per configured option.
 * <p>
 * The steps follow Envoy's {@code ConnectionManagerUtility::maybeNormalizePath}, in this
 * order:
 * <ol>
 * <li>{@link PathNormalization#DECODE_AND_MERGE_SLASHES} only: {@code %2F %2f} become
 * {@code /} and {@code %5C %5c} become {@code \}
 * ({@code PathUtil::unescapeSlashes}).</li>
 * <li>{@link PathNormalization#BASE} and above: a segment starting with {@code ..;} or
 * {@code .;} becomes {@code ..} or {@code .}
 * ({@code PathUtil::stripParametersFromDotSegments}, Envoy's fix for CVE-2026-73551,
 * shipped in Istio 1.29.7 and 1.30.4; §5.3's {@code /..;/admin} row predates it), then
 * Envoy's RFC 3986 canonicalizer ({@code url::CanonicalizePath}): percent-encoded
 * unreserved characters ({@code ALPHA DIGIT - . _ ~}, hex in either case) are decoded
 * once, every other {@code %XX} is kept exactly as received, a {@code %} that does not
 * start a valid escape is kept, {@code \} becomes {@code /}, the raw characters {@code "
 * < > ^ ` { | }} are percent-encoded (upper-case hex), and dot segments (also written
 * {@code %2e}) are removed, {@code ..} above the root being dropped and an empty segment
 * counting as a segment.</li>
 * <li>{@link PathNormalization#MERGE_SLASHES} and above: runs of {@code /} are merged
 * ({@code PathUtil::mergeSlashes}); like Envoy, a path made only of two or more slashes
 * becomes {@code //}.</li>
 * </ol>
 * Paths that need none of this are returned as the same {@code String} instance, without
 * allocating.
 *
 * @see PathNormalization
 */
public final class PathNormalizer {

	/** A raw character copied as it is. */
	private static final byte PASS = 0;

	/** A raw character Envoy's canonicalizer percent-encodes. */
	private static final byte ESCAPE = 1;

	/** An unreserved character other than {@code .}: decoded when percent-encoded. */
	private static final byte UNRESERVED = 2;

	/**
	 * Classes of the ASCII characters, as in the canonicalizer's {@code kPathCharLookup}.
	 */
	private static final byte[] CLASSES = new byte[128];

	private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

	static {
		for (char c = 'A'; c <= 'Z'; c++) {
			CLASSES[c] = UNRESERVED;
			CLASSES[Character.toLowerCase(c)] = UNRESERVED;
		}
		for (char c = '0'; c <= '9'; c++) {
			CLASSES[c] = UNRESERVED;
		}
		CLASSES['-'] = UNRESERVED;
		CLASSES['_'] = UNRESERVED;
		CLASSES['~'] = UNRESERVED;
		for (char c : "\"<>^`{|}".toCharArray()) {
			CLASSES[c] = ESCAPE;
		}
	}

	private final PathNormalization normalization;

	private final boolean canonicalize;

	private final boolean mergeSlashes;

	private final boolean unescapeSlashes;

	/**
	 * Creates a normalizer for one option.
	 * @param normalization the mesh's path normalization option
	 */
	public PathNormalizer(PathNormalization normalization) {
		this.normalization = normalization;
		this.canonicalize = normalization != PathNormalization.NONE;
		this.mergeSlashes = normalization == PathNormalization.MERGE_SLASHES
				|| normalization == PathNormalization.DECODE_AND_MERGE_SLASHES;
		this.unescapeSlashes = normalization == PathNormalization.DECODE_AND_MERGE_SLASHES;
	}

	/**
	 * The option this normalizer applies.
	 * @return the option
	 */
	public PathNormalization normalization() {
		return this.normalization;
	}

	/**
	 * Normalizes a raw request path.
	 * <p>
	 * {@code rawPath} is the path as received: not percent-decoded, one {@code char} per
	 * byte (ISO-8859-1, as Tomcat's {@code getRequestURI()} and Netty give it), without
	 * the query string; anything from the first {@code ?} or {@code #} is cut off all the
	 * same (§3.8, §8 D13). Returns {@code null} when Envoy would not pass the request on,
	 * whatever the option:
	 * <ul>
	 * <li>400: a control character, space, DEL or non-ASCII character in the path
	 * (Envoy's HTTP/1 codec accepts only {@code !} to {@code ~}, plus TAB and FF, which
	 * are rejected here too);</li>
	 * <li>400: {@code %00} anywhere in the path, unless the option is
	 * {@link PathNormalization#NONE} (the canonicalizer rejects it; with {@code NONE}
	 * Envoy forwards it unchanged);</li>
	 * <li>404: an empty path or one not starting with {@code /}, such as {@code *} from
	 * {@code OPTIONS *} (Envoy's connection manager refuses non-relative paths before
	 * normalizing); adapters tell this from the 400 cases by
	 * {@code rawPath.startsWith("/")}.</li>
	 * </ul>
	 * @param rawPath the raw path, see above; use {@link #pathOf(String)} to get it from
	 * a request target
	 * @return the normalized path, the same instance when nothing changes, or
	 * {@code null} when Envoy rejects the request
	 */
	public @Nullable String normalize(String rawPath) {
		if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
			return null;
		}
		int length = rawPath.length();
		boolean work = false;
		char previous = 0;
		for (int i = 0; i < length; i++) {
			char c = rawPath.charAt(i);
			if (c <= ' ' || c >= 0x7F) {
				return null;
			}
			if (c == '?' || c == '#') {
				length = i;
				break;
			}
			if (!work && this.canonicalize && needsWork(c, previous)) {
				work = true;
			}
			previous = c;
		}
		if (!work) {
			return (length == rawPath.length()) ? rawPath : rawPath.substring(0, length);
		}
		return normalizeSlowly(rawPath, length);
	}

	/**
	 * Whether a character may be changed by canonicalization or slash merging.
	 */
	private boolean needsWork(char c, char previous) {
		if (c == '%' || c == '\\' || CLASSES[c] == ESCAPE) {
			return true;
		}
		if (previous == '/') {
			// "/." starts a dot segment (or a ".;" parameter segment); "//" is merged
			return c == '.' || (c == '/' && this.mergeSlashes);
		}
		return false;
	}

	private @Nullable String normalizeSlowly(String rawPath, int length) {
		char[] in = new char[length];
		rawPath.getChars(0, length, in, 0);
		int inLength = length;
		if (this.unescapeSlashes) {
			inLength = unescapeSlashes(in, inLength);
		}
		inLength = stripDotSegmentParameters(in, inLength);
		// each input character yields at most three output characters ("|" becomes "%7C")
		char[] out = new char[3 * inLength];
		int outLength = canonicalize(in, inLength, out);
		if (outLength < 0) {
			return null;
		}
		if (this.mergeSlashes) {
			outLength = mergeSlashes(out, outLength);
		}
		if (outLength == rawPath.length() && sameChars(rawPath, out, outLength)) {
			return rawPath;
		}
		return new String(out, 0, outLength);
	}

	/**
	 * Envoy's {@code PathUtil::unescapeSlashes}: {@code %2F %2f} to {@code /},
	 * {@code %5C %5c} to {@code \}, left to right, in place. A decoded character never
	 * forms a new escape, so one pass is Envoy's result.
	 */
	private static int unescapeSlashes(char[] path, int length) {
		int out = 0;
		int i = 0;
		while (i < length) {
			char c = path[i];
			if (c == '%' && i + 2 < length) {
				char high = path[i + 1];
				char low = path[i + 2];
				if (high == '2' && (low == 'f' || low == 'F')) {
					path[out++] = '/';
					i += 3;
					continue;
				}
				if (high == '5' && (low == 'c' || low == 'C')) {
					path[out++] = '\\';
					i += 3;
					continue;
				}
			}
			path[out++] = c;
			i++;
		}
		return out;
	}

	/**
	 * Envoy's {@code PathUtil::stripParametersFromDotSegments}: a {@code /}-separated
	 * segment starting with {@code ..;} becomes {@code ..}, one starting with {@code .;}
	 * becomes {@code .}, in place. Only literal dots count, and only {@code /} separates
	 * segments here (as in Envoy).
	 */
	private static int stripDotSegmentParameters(char[] path, int length) {
		if (!containsDotSemicolon(path, length)) {
			return length;
		}
		int out = 0;
		int start = 0;
		while (start <= length) {
			int end = start;
			while (end < length && path[end] != '/') {
				end++;
			}
			int segment = end - start;
			if (segment >= 3 && path[start] == '.' && path[start + 1] == '.' && path[start + 2] == ';') {
				path[out++] = '.';
				path[out++] = '.';
			}
			else if (segment >= 2 && path[start] == '.' && path[start + 1] == ';') {
				path[out++] = '.';
			}
			else {
				System.arraycopy(path, start, path, out, segment);
				out += segment;
			}
			if (end < length) {
				path[out++] = '/';
			}
			start = end + 1;
		}
		return out;
	}

	private static boolean containsDotSemicolon(char[] path, int length) {
		for (int i = 1; i < length; i++) {
			if (path[i] == ';' && path[i - 1] == '.') {
				return true;
			}
		}
		return false;
	}

	/**
	 * The path part of Envoy's RFC 3986 canonicalizer ({@code DoPartialPath} in
	 * Chromium's {@code url_canon_path.cc}, which Envoy uses through googleurl), for a
	 * path starting with {@code /} and made of ASCII characters from {@code !} to
	 * {@code ~}.
	 * @return the output length, or -1 for {@code %00}
	 */
	private static int canonicalize(char[] in, int length, char[] out) {
		int o = 0;
		int i = 0;
		while (i < length) {
			char c = in[i];
			int dot = dotLength(in, i, length);
			if (dot > 0) {
				if (o > 0 && out[o - 1] == '/') {
					int afterDot = i + dot;
					if (afterDot == length) {
						// "." at the end: current directory, output keeps its trailing
						// "/"
						i = afterDot;
						continue;
					}
					if (isSlash(in[afterDot])) {
						// "./": current directory
						i = afterDot + 1;
						continue;
					}
					int secondDot = dotLength(in, afterDot, length);
					if (secondDot > 0) {
						int afterSecondDot = afterDot + secondDot;
						if (afterSecondDot == length) {
							o = backUpToPreviousSlash(out, o);
							i = afterSecondDot;
							continue;
						}
						if (isSlash(in[afterSecondDot])) {
							o = backUpToPreviousSlash(out, o);
							i = afterSecondDot + 1;
							continue;
						}
					}
				}
				// a dot that is part of a name; a following "%2e" is looked at on its own
				out[o++] = '.';
				i += dot;
			}
			else if (c == '\\') {
				out[o++] = '/';
				i++;
			}
			else if (c == '%') {
				if (i + 2 < length && isHex(in[i + 1]) && isHex(in[i + 2])) {
					int value = (hexValue(in[i + 1]) << 4) | hexValue(in[i + 2]);
					if (value == 0) {
						return -1;
					}
					if (value < 128 && CLASSES[value] == UNRESERVED) {
						out[o++] = (char) value;
					}
					else {
						// kept as received, hex case included
						out[o++] = '%';
						out[o++] = in[i + 1];
						out[o++] = in[i + 2];
					}
					i += 3;
				}
				else {
					// not an escape: the "%" is copied and what follows is read normally
					out[o++] = '%';
					i++;
				}
			}
			else if (CLASSES[c] == ESCAPE) {
				out[o++] = '%';
				out[o++] = UPPER_HEX[c >> 4];
				out[o++] = UPPER_HEX[c & 0xF];
				i++;
			}
			else {
				out[o++] = c;
				i++;
			}
		}
		return o;
	}

	/**
	 * The canonicalizer's {@code IsDot}: 1 for {@code .}, 3 for {@code %2e} or
	 * {@code %2E}, else 0.
	 */
	private static int dotLength(char[] in, int i, int length) {
		char c = in[i];
		if (c == '.') {
			return 1;
		}
		if (c == '%' && i + 2 < length && in[i + 1] == '2' && (in[i + 2] == 'e' || in[i + 2] == 'E')) {
			return 3;
		}
		return 0;
	}

	private static boolean isSlash(char c) {
		return c == '/' || c == '\\';
	}

	/**
	 * The canonicalizer's {@code BackUpToPreviousSlash}: drops the last segment of an
	 * output ending with {@code /}, never going above the first {@code /}.
	 */
	private static int backUpToPreviousSlash(char[] out, int length) {
		int i = length - 1;
		if (i == 0) {
			return length;
		}
		i--;
		while (out[i] != '/' && i > 0) {
			i--;
		}
		return i + 1;
	}

	/**
	 * Envoy's {@code PathUtil::mergeSlashes} for a path starting with {@code /}:
	 * {@code "/" + join(non-empty
	 * segments, "/") + ("/" if it ends with "/")}, in place; so a path of slashes only
	 * becomes {@code //}.
	 */
	private static int mergeSlashes(char[] path, int length) {
		boolean doubled = false;
		for (int i = 1; i < length; i++) {
			if (path[i] == '/' && path[i - 1] == '/') {
				doubled = true;
				break;
			}
		}
		if (!doubled) {
			return length;
		}
		int out = 1;
		for (int i = 1; i < length; i++) {
			if (path[i] != '/' || path[out - 1] != '/') {
				path[out++] = path[i];
			}
		}
		if (out == 1) {
			// no non-empty segment: Envoy's prefix "/" plus suffix "/"
			path[out++] = '/';
		}
		return out;
	}

	private static boolean isHex(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	private static int hexValue(char c) {
		if (c <= '9') {
			return c - '0';
		}
		return (c | 0x20) - 'a' + 10;
	}

	private static boolean sameChars(String string, char[] chars, int length) {
		for (int i = 0; i < length; i++) {
			if (string.charAt(i) != chars[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The path of a request target: what comes before the first {@code ?} or {@code #}.
	 * An absolute-form target ({@code http://host/a?b}) gives the path after the
	 * authority, {@code /} when there is none, as Envoy's HTTP/1 codec does; other
	 * targets, such as {@code *}, are returned up to {@code ?}/{@code #} as they are.
	 * @param requestTarget the request target as received
	 * @return the path, the same instance when there is nothing to cut
	 */
	public static String pathOf(String requestTarget) {
		int length = requestTarget.length();
		int start = 0;
		if (length > 0 && requestTarget.charAt(0) != '/') {
			int authority = authorityStart(requestTarget);
			if (authority >= 0) {
				int i = authority;
				while (i < length && !isAuthorityEnd(requestTarget.charAt(i))) {
					i++;
				}
				if (i == length || requestTarget.charAt(i) != '/') {
					return "/";
				}
				start = i;
			}
		}
		int end = start;
		while (end < length && requestTarget.charAt(end) != '?' && requestTarget.charAt(end) != '#') {
			end++;
		}
		return (start == 0 && end == length) ? requestTarget : requestTarget.substring(start, end);
	}

	/**
	 * The index after {@code scheme://} when the target starts with an RFC 3986 scheme
	 * followed by {@code ://}, else -1.
	 */
	private static int authorityStart(String target) {
		int length = target.length();
		if (!isAlpha(target.charAt(0))) {
			return -1;
		}
		int i = 1;
		while (i < length) {
			char c = target.charAt(i);
			if (!(isAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
				break;
			}
			i++;
		}
		return target.startsWith("://", i) ? i + 3 : -1;
	}

	private static boolean isAlpha(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	private static boolean isAuthorityEnd(char c) {
		return c == '/' || c == '?' || c == '#';
	}

	@Override
	public String toString() {
		return "PathNormalizer[" + this.normalization + "]";
	}

}
