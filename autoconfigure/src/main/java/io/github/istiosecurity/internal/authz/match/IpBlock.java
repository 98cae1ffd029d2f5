package io.github.istiosecurity.internal.authz.match;

import io.github.istiosecurity.authz.IpAddress;

import org.jspecify.annotations.Nullable;

/**
 * A CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or a single address (a /32 or
 * /128), as Istio accepts them: Go's {@code netip.ParsePrefix} for values with a
 * {@code /}, {@code netip.ParseAddr} without (§3.2). Host bits may be set
 * ({@code 10.1.2.3/16} means {@code 10.1.0.0/16}). An IPv4 block never contains an IPv6
 * address and vice versa (§3.14).
 */
public final class IpBlock {

	private final boolean v4;

	private final long highMask;

	private final long lowMask;

	private final long high;

	private final long low;

	private final String text;

	private IpBlock(IpAddress address, int bits, String text) {
		this.v4 = address.isV4();
		int total = this.v4 ? 32 : 128;
		int hostBits = total - bits;
		if (this.v4) {
			this.highMask = 0;
			this.lowMask = (bits == 0) ? 0 : (0xFFFFFFFFL << hostBits) & 0xFFFFFFFFL;
		}
		else {
			this.highMask = (bits >= 64) ? -1L : (bits == 0) ? 0 : -1L << (64 - bits);
			this.lowMask = (bits <= 64) ? 0 : (bits == 128) ? -1L : -1L << (128 - bits);
		}
		this.high = address.high() & this.highMask;
		this.low = address.low() & this.lowMask;
		this.text = text;
	}

	/**
	 * Parses an IP block as a policy writes it.
	 * @param text the value
	 * @return the block, or {@code null} when Istio would reject the value
	 */
	public static @Nullable IpBlock parse(String text) {
		int slash = text.indexOf('/');
		if (slash < 0) {
			IpAddress address = IpAddress.parse(text);
			return (address != null) ? new IpBlock(address, address.isV4() ? 32 : 128, text) : null;
		}
		IpAddress address = IpAddress.parseBlockAddress(text.substring(0, slash));
		if (address == null) {
			return null;
		}
		String bitsText = text.substring(slash + 1);
		if (bitsText.isEmpty() || bitsText.length() > 3 || (bitsText.length() > 1 && bitsText.charAt(0) == '0')) {
			return null;
		}
		int bits = 0;
		for (int i = 0; i < bitsText.length(); i++) {
			char c = bitsText.charAt(i);
			if (c < '0' || c > '9') {
				return null;
			}
			bits = bits * 10 + (c - '0');
		}
		if (bits > (address.isV4() ? 32 : 128)) {
			return null;
		}
		return new IpBlock(address, bits, text);
	}

	/**
	 * Whether the address lies in this block.
	 * @param address the address
	 * @return whether it is contained
	 */
	public boolean contains(IpAddress address) {
		return address.isV4() == this.v4 && (address.high() & this.highMask) == this.high
				&& (address.low() & this.lowMask) == this.low;
	}

	/**
	 * Whether this is an IPv4 block.
	 * @return whether it is IPv4
	 */
	public boolean isV4() {
		return this.v4;
	}

	/**
	 * The mask of the high 64 bits of an address ({@link IpAddress#high()}).
	 * @return the mask
	 */
	public long highMask() {
		return this.highMask;
	}

	/**
	 * The mask of the low 64 bits of an address ({@link IpAddress#low()}).
	 * @return the mask
	 */
	public long lowMask() {
		return this.lowMask;
	}

	/**
	 * The high 64 bits every address in the block has under {@link #highMask()}.
	 * @return the bits
	 */
	public long high() {
		return this.high;
	}

	/**
	 * The low 64 bits every address in the block has under {@link #lowMask()}.
	 * @return the bits
	 */
	public long low() {
		return this.low;
	}

	@Override
	public String toString() {
		return this.text;
	}

}
