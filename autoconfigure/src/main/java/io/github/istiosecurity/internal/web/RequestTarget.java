package io.github.istiosecurity.internal.web;

import org.jspecify.annotations.Nullable;

/**
 * What Envoy's HTTP/1 codec makes of a request-target (§3.8 {@code hosts}): an
 * absolute-form target ({@code GET http://other.example/path HTTP/1.1}) sets
 * {@code :authority} to the target's authority whatever the {@code Host} header says (RFC
 * 9112 §3.2.2; {@code Http1::ServerConnectionImpl::handlePath} calls
 * {@code headers.setHost(url.hostAndPort())}). Istio leaves {@code allow_absolute_url} at
 * its default, true, on every listener, so this applies to sidecars. A target Envoy's URL
 * parser refuses, or whose scheme is not {@code http}/{@code https}, is answered 400 by
 * Envoy before any filter.
 * <p>
 * The URL is read as {@code Utility::Url::initialize} reads it with
 * {@code http_parser_parse_url}: a scheme of letters, {@code ://}, then up to the first
 * {@code /} or {@code ?} the server part: optional userinfo ending in a single {@code @}
 * (not part of the authority), a host of letters, digits, {@code .} and {@code -} or a
 * bracketed IPv6 address, an optional {@code :} and decimal port up to 65535. The
 * authority is the text exactly as sent (letter case and an explicit default port are
 * kept), which is what policies match. The path and query are not checked here (the
 * server has already parsed them).
 *
 * @param form how the target was written
 * @param authority the authority of an absolute-form target, otherwise {@code null}
 */
public record RequestTarget(Form form, @Nullable String authority) {

	/** An origin-form target. */
	public static final RequestTarget ORIGIN = new RequestTarget(Form.ORIGIN, null);

	private static final RequestTarget INVALID = new RequestTarget(Form.INVALID, null);

	/** How a request-target was written. */
	public enum Form {

		/**
		 * Origin-form ({@code /path}) or {@code *} for {@code OPTIONS}: the {@code Host}
		 * header is the authority. A {@code CONNECT} target is reported so too (Envoy
		 * would take its authority-form target; not modelled).
		 */
		ORIGIN,

		/**
		 * Absolute-form Envoy accepts: {@link #authority()} replaces the {@code Host}
		 * header.
		 */
		ABSOLUTE,

		/** Neither: Envoy answers 400 (bad URL or scheme) before any filter. */
		INVALID

	}

	/**
	 * Classifies a request-target as Envoy's codec does.
	 * @param method the request method
	 * @param target the request-target exactly as on the request line
	 * @return the classification
	 */
	public static RequestTarget of(String method, String target) {
		if ("CONNECT".equals(method)) {
			return ORIGIN;
		}
		if (!target.isEmpty() && (target.charAt(0) == '/' || ("OPTIONS".equals(method) && target.charAt(0) == '*'))) {
			return ORIGIN;
		}
		return absolute(target);
	}

	private static RequestTarget absolute(String target) {
		int schemeEnd = 0;
		while (schemeEnd < target.length() && isAlpha(target.charAt(schemeEnd))) {
			schemeEnd++;
		}
		String scheme = target.substring(0, schemeEnd);
		// Envoy lower-cases the scheme, then only http and https are valid
		if (!target.startsWith("://", schemeEnd)
				|| !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
			return INVALID;
		}
		int start = schemeEnd + 3;
		int end = start;
		int at = -1;
		while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
			char c = target.charAt(end);
			if (c == '@') {
				if (at >= 0) {
					return INVALID;
				}
				at = end;
			}
			else if (!isUserinfoChar(c) && c != '[' && c != ']') {
				return INVALID;
			}
			end++;
		}
		if (at >= 0) {
			for (int i = start; i < at; i++) {
				if (!isUserinfoChar(target.charAt(i))) {
					return INVALID;
				}
			}
			start = at + 1;
		}
		String authority = target.substring(start, end);
		return isHostAndPort(authority) ? new RequestTarget(Form.ABSOLUTE, authority) : INVALID;
	}

	/**
	 * {@code http_parse_host} after the userinfo, plus Envoy's check that a bracketed
	 * host is an IP.
	 */
	private static boolean isHostAndPort(String authority) {
		int hostEnd;
		if (authority.startsWith("[")) {
			int close = authority.indexOf(']');
			if (close < 0) {
				return false;
			}
			String address = authority.substring(1, close);
			// Envoy refuses a bracketed host that is not an IP address (parseAuthority)
			if (!isV6Text(address) || ForwardedFor.parseAddress(address) == null) {
				return false;
			}
			hostEnd = close + 1;
		}
		else {
			hostEnd = 0;
			while (hostEnd < authority.length() && isHostChar(authority.charAt(hostEnd))) {
				hostEnd++;
			}
			if (hostEnd == 0) {
				return false;
			}
		}
		if (hostEnd == authority.length()) {
			return true;
		}
		if (authority.charAt(hostEnd) != ':' || hostEnd + 1 == authority.length()) {
			return false;
		}
		long port = 0;
		for (int i = hostEnd + 1; i < authority.length(); i++) {
			char c = authority.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
			port = Math.min(port * 10 + (c - '0'), 0x10000);
		}
		return port <= 0xFFFF;
	}

	/**
	 * What http_parser allows between the brackets: hex, ':', '.', then a zone after '%'.
	 */
	private static boolean isV6Text(String address) {
		int zone = address.indexOf('%');
		int end = (zone >= 0) ? zone : address.length();
		if (end == 0) {
			return false;
		}
		for (int i = 0; i < end; i++) {
			char c = address.charAt(i);
			if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
				return false;
			}
		}
		if (zone >= 0) {
			if (zone == address.length() - 1) {
				return false;
			}
			for (int i = zone + 1; i < address.length(); i++) {
				char c = address.charAt(i);
				if (!isAlphaNum(c) && "%.-_~".indexOf(c) < 0) {
					return false;
				}
			}
		}
		return true;
	}

	private static boolean isAlpha(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	private static boolean isAlphaNum(char c) {
		return isAlpha(c) || (c >= '0' && c <= '9');
	}

	/**
	 * http_parser's IS_HOST_CHAR as Envoy builds it (strict, the library's default: no
	 * '_').
	 */
	private static boolean isHostChar(char c) {
		return isAlphaNum(c) || c == '.' || c == '-';
	}

	/** http_parser's IS_USERINFO_CHAR. */
	private static boolean isUserinfoChar(char c) {
		return isAlphaNum(c) || "-_.!~*'()%;:&=+$,".indexOf(c) >= 0;
	}

}
