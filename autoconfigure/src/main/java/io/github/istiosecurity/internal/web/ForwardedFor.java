package io.github.istiosecurity.internal.web;

import java.util.List;

import io.github.istiosecurity.authz.IpAddress;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code X-Forwarded-For} exactly as Envoy does (§3.14), so that {@code remote.ip}
 * falls back to the socket peer on the same inputs as in the mesh. Three steps, each
 * after one Envoy function:
 * <ol>
 * <li>{@link #join}: several header lines become one value the way Envoy's header map
 * stores a repeated {@code x-forwarded-for} ({@code HeaderMapImpl::insertByKey} →
 * {@code appendToHeader}).</li>
 * <li>{@link #lastAddress}: the entry counted from the right is cut out and trimmed as
 * {@code Http::Utility::getLastAddressFromXFF} does.</li>
 * <li>{@link #parseAddress}: the entry must be a bare IP address as
 * {@code Network::Utility::parseInternetAddressNoThrow} accepts it.</li>
 * </ol>
 * Envoy never repairs an entry: no brackets, no port, no empty entry, no second address
 * in one entry. Whenever the selected entry does not parse, there is no address from the
 * header and the caller (the connection manager's {@code mutateRequestHeaders}) uses the
 * socket peer instead.
 */
public final class ForwardedFor {

	/**
	 * {@code StringUtil::WhitespaceChars}, what Envoy trims around the selected entry.
	 */
	private static final String WHITESPACE = " \t\f\u000B\n\r";

	private ForwardedFor() {
	}

	/**
	 * Joins the lines of a repeated header into the one value Envoy keeps.
	 * {@code x-forwarded-for} is one of Envoy's inline headers; a further line is
	 * appended to the stored value with {@code ","} (no space) by
	 * {@code HeaderMapImpl::appendToHeader}, which skips an empty line and puts no
	 * separator after an empty stored value. So {@code ["a", "b"]} is {@code "a,b"} and
	 * {@code ["", "a"]} is {@code "a"}.
	 * @param lines the header's lines in the order received, each as the server trimmed
	 * it
	 * @return the joined value, or {@code null} when the header is absent
	 */
	public static @Nullable String join(List<String> lines) {
		if (lines.isEmpty()) {
			return null;
		}
		if (lines.size() == 1) {
			return lines.get(0);
		}
		StringBuilder joined = new StringBuilder(lines.get(0));
		for (int i = 1; i < lines.size(); i++) {
			String line = lines.get(i);
			if (line.isEmpty()) {
				continue;
			}
			if (!joined.isEmpty()) {
				joined.append(',');
			}
			joined.append(line);
		}
		return joined.toString();
	}

	/**
	 * The address at a position from the right, as
	 * {@code Http::Utility::getLastAddressFromXFF(headers,
	 * num_to_skip)} returns it:
	 * <ul>
	 * <li>the last {@code numToSkip} entries are cut off at the last comma, one after
	 * another; when a comma is missing for that, there is no address;</li>
	 * <li>the text after the last remaining comma is the candidate, but only when that
	 * text is not empty: for a value ending in a comma the candidate stays the whole
	 * remaining value (commas included), which never parses;</li>
	 * <li>the candidate is trimmed of Envoy's whitespace characters only at its two ends,
	 * then parsed by {@link #parseAddress}.</li>
	 * </ul>
	 * Empty entries are counted like any other when skipping ({@code "1.2.3.4,,5.6.7.8"}
	 * skipping one leaves {@code "1.2.3.4,"}, so no address).
	 * @param value the joined header value
	 * @param numToSkip how many entries at the right end to ignore
	 * @return the address, or {@code null} when Envoy would find none
	 */
	public static @Nullable IpAddress lastAddress(String value, int numToSkip) {
		String remaining = value;
		for (int i = 0; i < numToSkip; i++) {
			int lastComma = remaining.lastIndexOf(',');
			if (lastComma < 0) {
				return null;
			}
			remaining = remaining.substring(0, lastComma);
		}
		int lastComma = remaining.lastIndexOf(',');
		if (lastComma >= 0 && lastComma + 1 < remaining.length()) {
			remaining = remaining.substring(lastComma + 1);
		}
		return parseAddress(trim(remaining));
	}

	/**
	 * Parses one entry as
	 * {@code Network::Utility::parseInternetAddressNoThrow(entry, 0, true)} does with
	 * glibc, which Istio's proxy image links: first {@code inet_pton(AF_INET)}, a strict
	 * dotted quad (no leading zeros, no shortened forms); then {@code getaddrinfo} with
	 * {@code AF_INET6} and {@code AI_NUMERICHOST}, which takes
	 * {@code inet_pton(AF_INET6)} text, with an optional zone after {@code %}.
	 * <ul>
	 * <li>An IPv4-mapped address such as {@code ::ffff:10.0.0.1} stays an IPv6 address
	 * ({@code v6only}), so an IPv4 block in {@code remoteIpBlocks} does not contain it:
	 * Envoy's RBAC IP matcher only compares an address with ranges of its own family
	 * ({@code CidrRange::isInRange} checks the version first, the LC-trie keeps one trie
	 * per family).</li>
	 * <li>Brackets ({@code [::1]}) and ports ({@code 10.0.0.1:80}, {@code [::1]:80}) are
	 * not part of an address here, so such an entry is no address.</li>
	 * <li>A zone is accepted when it is a decimal number up to 2<sup>32</sup>-1 (glibc's
	 * {@code __inet6_scopeid_pton}). glibc also accepts an interface name for link-local
	 * addresses when that interface exists on the proxy's host; that depends on the host,
	 * and such an entry is refused here.</li>
	 * </ul>
	 * @param entry one trimmed entry
	 * @return the address, or {@code null}
	 */
	public static @Nullable IpAddress parseAddress(String entry) {
		int percent = entry.indexOf('%');
		if (percent < 0) {
			return IpAddress.parse(entry);
		}
		String address = entry.substring(0, percent);
		// only the IPv6 path (getaddrinfo) knows zones; an IPv4 address has no ':'
		if (address.indexOf(':') < 0 || !isNumericZone(entry, percent + 1)) {
			return null;
		}
		return IpAddress.parse(address);
	}

	private static boolean isNumericZone(String text, int from) {
		int length = text.length() - from;
		if (length == 0) {
			return false;
		}
		long value = 0;
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
			value = value * 10 + (c - '0');
			if (value > 0xFFFF_FFFFL) {
				return false;
			}
		}
		return true;
	}

	private static String trim(String text) {
		int start = 0;
		int end = text.length();
		while (start < end && WHITESPACE.indexOf(text.charAt(start)) >= 0) {
			start++;
		}
		while (end > start && WHITESPACE.indexOf(text.charAt(end - 1)) >= 0) {
			end--;
		}
		return text.substring(start, end);
	}

}
