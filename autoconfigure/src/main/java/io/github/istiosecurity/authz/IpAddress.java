package io.github.istiosecurity.authz;

import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address as 128 bits in two longs, parsed without regex and as strictly
 * as Go's {@code net/netip.ParseAddr} (no IPv4 leading zeros, at most one {@code ::}),
 * which is what Istio's validation uses (§3.2).
 */
public final class IpAddress {

	private final long high;

	private final long low;

	private final boolean v4;

	private IpAddress(long high, long low, boolean v4) {
		this.high = high;
		this.low = low;
		this.v4 = v4;
	}

	/**
	 * Parses an address as written in a policy: IPv4-mapped IPv6 addresses stay IPv6, a
	 * zone is accepted.
	 * @param text the address
	 * @return the address, or {@code null} when it is not one
	 */
	public static @Nullable IpAddress parse(String text) {
		return parse(text, true);
	}

	/**
	 * Parses the address of a request (a socket or {@code X-Forwarded-For} entry). An
	 * IPv4-mapped IPv6 address (as a dual-stack socket reports an IPv4 client) is read as
	 * the IPv4 address it carries, and a bracketed form ({@code [::1]}) is accepted.
	 * @param text the address
	 * @return the address, or {@code null} when it is not one
	 */
	public static @Nullable IpAddress parseRequestAddress(String text) {
		String address = text.trim();
		if (address.length() > 2 && address.charAt(0) == '[' && address.charAt(address.length() - 1) == ']') {
			address = address.substring(1, address.length() - 1);
		}
		IpAddress parsed = parse(address, true);
		if (parsed != null && !parsed.v4 && parsed.high == 0 && (parsed.low >>> 32) == 0xFFFFL) {
			return new IpAddress(0, parsed.low & 0xFFFFFFFFL, true);
		}
		return parsed;
	}

	/**
	 * Parses the address part of a CIDR block as written in a policy: like
	 * {@link #parse(String)}, but a zone ({@code %eth0}) is not accepted.
	 * @param text the address
	 * @return the address, or {@code null} when it is not one
	 */
	public static @Nullable IpAddress parseBlockAddress(String text) {
		return parse(text, false);
	}

	private static @Nullable IpAddress parse(String text, boolean allowZone) {
		if (text.isEmpty()) {
			return null;
		}
		if (text.indexOf(':') < 0) {
			long v4 = parseV4(text, 0, text.length());
			return (v4 < 0) ? null : new IpAddress(0, v4, true);
		}
		int end = text.length();
		int zone = text.indexOf('%');
		if (zone >= 0) {
			if (!allowZone || zone == end - 1) {
				return null;
			}
			end = zone;
		}
		return parseV6(text, end);
	}

	/** Parses dotted-quad IPv4 in [from, to), returning the 32-bit value or -1. */
	private static long parseV4(String text, int from, int to) {
		long value = 0;
		int octets = 0;
		int i = from;
		while (i <= to) {
			int start = i;
			int octet = 0;
			while (i < to && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
				octet = octet * 10 + (text.charAt(i) - '0');
				if (octet > 255) {
					return -1;
				}
				i++;
			}
			int digits = i - start;
			if (digits == 0 || (digits > 1 && text.charAt(start) == '0')) {
				return -1;
			}
			value = (value << 8) | octet;
			octets++;
			if (i == to) {
				break;
			}
			if (text.charAt(i) != '.' || octets == 4) {
				return -1;
			}
			i++;
		}
		return (octets == 4) ? value : -1;
	}

	private static @Nullable IpAddress parseV6(String text, int end) {
		int[] groups = new int[8];
		int count = 0;
		int ellipsis = -1;
		int i = 0;
		if (text.startsWith("::")) {
			ellipsis = 0;
			i = 2;
			if (i == end) {
				return new IpAddress(0, 0, false);
			}
		}
		while (i < end) {
			if (count == 8) {
				return null;
			}
			int start = i;
			int group = 0;
			while (i < end && i - start < 5 && Character.digit(text.charAt(i), 16) >= 0) {
				group = (group << 4) | Character.digit(text.charAt(i), 16);
				i++;
			}
			int digits = i - start;
			if (i < end && text.charAt(i) == '.') {
				// an embedded IPv4 address ends the text and takes two groups
				if (count > 6 || (ellipsis < 0 && count != 6)) {
					return null;
				}
				long v4 = parseV4(text, start, end);
				if (v4 < 0) {
					return null;
				}
				groups[count++] = (int) (v4 >>> 16);
				groups[count++] = (int) (v4 & 0xFFFF);
				i = end;
				break;
			}
			if (digits == 0 || digits > 4) {
				return null;
			}
			groups[count++] = group;
			if (i == end) {
				break;
			}
			if (text.charAt(i) != ':') {
				return null;
			}
			i++;
			if (i < end && text.charAt(i) == ':') {
				if (ellipsis >= 0) {
					return null;
				}
				ellipsis = count;
				i++;
				if (i == end) {
					break;
				}
			}
			else if (i == end) {
				return null; // trailing single colon
			}
		}
		if (ellipsis < 0 && count != 8) {
			return null;
		}
		if (ellipsis >= 0) {
			if (count == 8) {
				return null; // "::" must stand for at least one group
			}
			int shift = 8 - count;
			for (int g = count - 1; g >= ellipsis; g--) {
				groups[g + shift] = groups[g];
			}
			for (int g = ellipsis; g < ellipsis + shift; g++) {
				groups[g] = 0;
			}
		}
		long high = 0;
		long low = 0;
		for (int g = 0; g < 4; g++) {
			high = (high << 16) | groups[g];
			low = (low << 16) | groups[g + 4];
		}
		return new IpAddress(high, low, false);
	}

	/**
	 * Returns the upper 64 bits (0 for IPv4).
	 * @return the upper bits
	 */
	public long high() {
		return this.high;
	}

	/**
	 * Returns the lower 64 bits (the 32-bit address for IPv4).
	 * @return the lower bits
	 */
	public long low() {
		return this.low;
	}

	/**
	 * Whether this is an IPv4 address.
	 * @return whether IPv4
	 */
	public boolean isV4() {
		return this.v4;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof IpAddress that && this.high == that.high && this.low == that.low && this.v4 == that.v4;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.high * 31 + this.low) + (this.v4 ? 1 : 0);
	}

	@Override
	public String toString() {
		if (this.v4) {
			return (this.low >>> 24) + "." + ((this.low >>> 16) & 0xFF) + "." + ((this.low >>> 8) & 0xFF) + "."
					+ (this.low & 0xFF);
		}
		StringBuilder text = new StringBuilder();
		for (int g = 0; g < 8; g++) {
			long word = (g < 4) ? this.high : this.low;
			int group = (int) ((word >>> (48 - 16 * (g % 4))) & 0xFFFF);
			if (g > 0) {
				text.append(':');
			}
			text.append(Integer.toHexString(group));
		}
		return text.toString();
	}

}
