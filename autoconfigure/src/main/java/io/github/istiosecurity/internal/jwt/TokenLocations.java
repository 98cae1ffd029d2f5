package io.github.istiosecurity.internal.jwt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import io.github.istiosecurity.model.JwtHeader;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

/**
 * The token locations of one rule and how Envoy reads them ({@code ExtractorImpl}, §2.5):
 * headers, then query parameters, then cookies, each group ordered by name.
 */
final class TokenLocations {

	private static final HeaderLocation[] DEFAULT_HEADERS = { new HeaderLocation("authorization", "Bearer ") };

	private static final String[] DEFAULT_PARAMS = { "access_token" };

	private final HeaderLocation[] headers;

	private final String[] params;

	private final String[] cookies;

	private TokenLocations(HeaderLocation[] headers, String[] params, String[] cookies) {
		this.headers = headers;
		this.params = params;
		this.cookies = cookies;
	}

	static TokenLocations of(JwtRule rule) {
		// The defaults apply only when the rule lists no location at all (§2.5).
		if (rule.usesDefaultLocations()) {
			return new TokenLocations(DEFAULT_HEADERS, DEFAULT_PARAMS, new String[0]);
		}
		TreeSet<HeaderLocation> headers = new TreeSet<>(
				Comparator.comparing(HeaderLocation::name).thenComparing(HeaderLocation::prefix));
		for (JwtHeader header : rule.fromHeaders()) {
			headers.add(new HeaderLocation(header.name().toLowerCase(Locale.ROOT), header.prefix()));
		}
		return new TokenLocations(headers.toArray(new HeaderLocation[0]),
				new TreeSet<>(rule.fromParams()).toArray(new String[0]),
				new TreeSet<>(rule.fromCookies()).toArray(new String[0]));
	}

	/**
	 * Returns the tokens found at these locations, in extraction order.
	 * @param request the request
	 * @return the tokens, empty when there are none
	 */
	List<ExtractedToken> extract(TokenRequest request) {
		List<ExtractedToken> tokens = null;
		for (HeaderLocation location : this.headers) {
			String token = location.extract(request);
			if (token != null) {
				tokens = add(tokens, new ExtractedToken(token, location.name()));
			}
		}
		for (String param : this.params) {
			String token = request.queryParameter(param);
			if (token != null) {
				tokens = add(tokens, new ExtractedToken(token, null));
			}
		}
		for (String cookie : this.cookies) {
			String token = request.cookie(cookie);
			if (token != null) {
				tokens = add(tokens, new ExtractedToken(token, null));
			}
		}
		return (tokens != null) ? tokens : List.of();
	}

	private static List<ExtractedToken> add(@Nullable List<ExtractedToken> tokens, ExtractedToken token) {
		List<ExtractedToken> list = (tokens != null) ? tokens : new ArrayList<>(2);
		list.add(token);
		return list;
	}

	/**
	 * A header location.
	 *
	 * @param name the lower-case header name
	 * @param prefix the case-sensitive prefix, {@code ""} for none
	 */
	record HeaderLocation(String name, String prefix) {

		@Nullable String extract(TokenRequest request) {
			List<String> values = request.headerValues(this.name);
			if (values.isEmpty()) {
				return null;
			}
			// All values of the header joined with ',' (getAllOfHeaderAsString).
			String value = (values.size() == 1) ? values.get(0) : String.join(",", values);
			if (this.prefix.isEmpty()) {
				return value;
			}
			// The prefix may appear anywhere; without it this location has no token
			// (§2.5, D2).
			int at = value.indexOf(this.prefix);
			return (at >= 0) ? tokenAfter(value, at + this.prefix.length()) : null;
		}

		/**
		 * The first run of [A-Za-z0-9-_.] at or after {@code from}; the whole value if
		 * there is none.
		 */
		private static String tokenAfter(String value, int from) {
			int start = from;
			while (start < value.length() && !isTokenChar(value.charAt(start))) {
				start++;
			}
			if (start == value.length()) {
				return value;
			}
			int end = start;
			while (end < value.length() && isTokenChar(value.charAt(end))) {
				end++;
			}
			return value.substring(start, end);
		}

		private static boolean isTokenChar(char c) {
			// a table: the letters and digits of base64url come in no order a branch
			// predictor could follow
			return c < TOKEN_CHARS.length && TOKEN_CHARS[c];
		}

		private static final boolean[] TOKEN_CHARS = tokenChars();

		private static boolean[] tokenChars() {
			boolean[] chars = new boolean[128];
			for (char c = 0; c < chars.length; c++) {
				chars[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
						|| c == '_' || c == '.';
			}
			return chars;
		}

	}

}
