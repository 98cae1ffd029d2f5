package io.github.istiosecurity.internal.authz.match;

import io.github.istiosecurity.authz.IpAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IP and CIDR parsing with Go's {@code netip} strictness (what Istio's validation
 * accepts, §3.2).
 */
class IpBlockTests {

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.0.0/8", "10.1.2.3/16", "10.0.0.0/0",
			"10.0.0.0/32", "::", "::1", "2001:db8::", "2001:db8::/32", "fe80::1%eth0", "::ffff:10.0.0.1",
			"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::/0", "2001:db8::/128", "1::", "1::8" })
	void acceptsWhatGoAccepts(String value) {
		assertThat(IpBlock.parse(value)).as(value).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "10.0.0.256", "010.1.2.3", "10.0.0", "10.0.0.1.2", "10.0.0.0/33", "10.0.0.0/08",
			"10.0.0.0/", "10.0.0.0/-1", "2001:db8::/129", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":1", "1:",
			"fe80::1%eth0/64", "*", "10.0.0.*", "::ffff:010.0.0.1", "1:2:3:4:5:6:7::8", "a b" })
	void rejectsWhatGoRejects(String value) {
		assertThat(IpBlock.parse(value)).as(value).isNull();
	}

	@Test
	void hostBitsAreIgnored() {
		IpBlock block = IpBlock.parse("10.1.2.3/16");
		assertThat(block.contains(IpAddress.parse("10.1.200.9"))).isTrue();
		assertThat(block.contains(IpAddress.parse("10.2.0.1"))).isFalse();
	}

	@Test
	void aBareAddressIsASingleHost() {
		assertThat(IpBlock.parse("10.0.0.5").contains(IpAddress.parse("10.0.0.5"))).isTrue();
		assertThat(IpBlock.parse("10.0.0.5").contains(IpAddress.parse("10.0.0.6"))).isFalse();
		assertThat(IpBlock.parse("2001:db8::1").contains(IpAddress.parse("2001:db8::1"))).isTrue();
	}

	@Test
	void ipv6PrefixesAcrossTheSixtyFourBitBoundary() {
		IpBlock block = IpBlock.parse("2001:db8:1:2:8000::/65");
		assertThat(block.contains(IpAddress.parse("2001:db8:1:2:ffff::1"))).isTrue();
		assertThat(block.contains(IpAddress.parse("2001:db8:1:2:7fff::1"))).isFalse();
		assertThat(IpBlock.parse("2001:db8::/16").contains(IpAddress.parse("2001:ffff::1"))).isTrue();
	}

	@Test
	void familiesNeverMixButRequestAddressesAreUnmapped() {
		assertThat(IpBlock.parse("0.0.0.0/0").contains(IpAddress.parse("::ffff:10.0.0.1"))).isFalse();
		assertThat(IpBlock.parse("0.0.0.0/0").contains(IpAddress.parseRequestAddress("::ffff:10.0.0.1"))).isTrue();
		assertThat(IpAddress.parseRequestAddress("[::1]")).isEqualTo(IpAddress.parse("::1"));
	}

	@Test
	void printsCanonicalForms() {
		assertThat(IpAddress.parse("10.0.0.1")).hasToString("10.0.0.1");
		assertThat(IpAddress.parse("2001:db8::1")).hasToString("2001:db8:0:0:0:0:0:1");
	}

}
