package io.github.istiosecurity.internal.web;

import java.util.Arrays;
import java.util.List;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.internal.authz.match.IpBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ForwardedFor} and {@link RemoteAddresses} against the edge forms of
 * {@code X-Forwarded-For}. Each expectation follows a line of Envoy's source, named in
 * the case: {@code getLastAddressFromXFF} (cutting and trimming),
 * {@code parseInternetAddressNoThrow} with glibc's {@code inet_pton}/{@code getaddrinfo}
 * (what an entry may look like), {@code HeaderMapImpl::appendToHeader} (several lines),
 * {@code mutateRequestHeaders} (the socket-peer fallback and the trusted hops).
 */
class ForwardedForTests {

	private static final IpAddress PEER = IpAddress.parse("10.9.9.9");

	@ParameterizedTest(name = "[{0}] -> {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "none", textBlock = """
			# a single entry is the whole value
			1.2.3.4                        | 1.2.3.4
			# the text after the last comma
			1.1.1.1,2.2.2.2,3.3.3.3        | 3.3.3.3
			# ltrim/rtrim of the selected entry: spaces and tabs around it are allowed (RFC 7239 lists)
			"1.1.1.1 ,   2.2.2.2   "       | 2.2.2.2
			"1.1.1.1,\t2.2.2.2\t"          | 2.2.2.2
			# only the selected entry is read, a broken entry to its left does not matter
			garbage, 2.2.2.2               | 2.2.2.2
			# a trailing comma leaves the whole value as the candidate: no address
			"1.2.3.4,"                     | none
			"1.1.1.1,2.2.2.2,"             | none
			# after the last comma only whitespace: trimmed to nothing, no address
			"1.2.3.4, "                    | none
			# a lone comma, an empty value
			","                            | none
			""                             | none
			# two addresses in one entry (space, not comma): the trimmed text has an inner space
			1.1.1.1 2.2.2.2                | none
			# a port is not part of an address for parseInternetAddressNoThrow
			1.2.3.4:80                     | none
			"[::1]:80"                     | none
			# brackets are not IPv6 address syntax for inet_pton
			[::1]                          | none
			[2001:db8::1]                  | none
			# IPv6 as inet_pton writes it, any case, embedded IPv4 included
			2001:DB8::1                    | 2001:db8::1
			::1                            | ::1
			::                             | ::
			::ffff:1.2.3.4                 | ::ffff:1.2.3.4
			1:2:3:4:5:6:1.2.3.4            | 1:2:3:4:5:6:102:304
			# inet_pton(AF_INET6) refusals: two '::', a trailing single ':', nine groups, a 5-digit group
			1::2::3                        | none
			1::                            | 1::
			"1:"                           | none
			1:2:3:4:5:6:7:8:9              | none
			12345::                        | none
			# '::' must stand for at least one group
			1:2:3:4:5:6:7::8               | none
			# inet_pton(AF_INET) is a strict dotted quad: no leading zero, no short forms, no hex, 0-255
			01.2.3.4                       | none
			1.2.3                          | none
			127.1                          | none
			0x7f.0.0.1                     | none
			256.1.1.1                      | none
			0.0.0.0                        | 0.0.0.0
			# a numeric zone goes through getaddrinfo's scope parsing (decimal, at most 32 bits)
			fe80::1%3                      | fe80::1
			fe80::1%4294967295             | fe80::1
			fe80::1%4294967296             | none
			"fe80::1%"                     | none
			fe80::1%3x                     | none
			# an IPv4 address has no zone (inet_pton(AF_INET) fails and the IPv6 parse sees no IPv6 address)
			1.2.3.4%3                      | none
			# a host name is never resolved (AI_NUMERICHOST)
			localhost                      | none
			""")
	void lastAddressWithNothingSkipped(String value, String expected) {
		IpAddress address = ForwardedFor.lastAddress(value, 0);
		if (expected == null) {
			assertThat(address).isNull();
		}
		else {
			assertThat(address).isEqualTo(IpAddress.parse(expected));
		}
	}

	@ParameterizedTest(name = "[{0}] skip {1} -> {2}")
	@CsvSource(delimiter = '|', nullValues = "none", textBlock = """
			# getLastAddressFromXFF(headers, n) drops n entries at the last comma, then reads the last one
			1.1.1.1,2.2.2.2,3.3.3.3 | 1 | 2.2.2.2
			1.1.1.1,2.2.2.2,3.3.3.3 | 2 | 1.1.1.1
			# not enough commas to skip: no address
			1.1.1.1,2.2.2.2,3.3.3.3 | 3 | none
			1.1.1.1                 | 1 | none
			# an empty entry is skipped like any other and may leave a trailing comma
			1.1.1.1,,2.2.2.2        | 1 | none
			1.1.1.1,,2.2.2.2        | 2 | 1.1.1.1
			# a broken entry that is skipped does not matter
			1.1.1.1,[::1]:80        | 1 | 1.1.1.1
			""")
	void lastAddressSkippingEntries(String value, int skip, String expected) {
		IpAddress address = ForwardedFor.lastAddress(value, skip);
		assertThat(address).isEqualTo((expected != null) ? IpAddress.parse(expected) : null);
	}

	@Test
	void repeatedLinesAreJoinedLikeEnvoysHeaderMap() {
		// appendToHeader: ',' between lines, no space
		assertThat(ForwardedFor.join(List.of("1.1.1.1", "2.2.2.2"))).isEqualTo("1.1.1.1,2.2.2.2");
		// an empty line adds nothing, and nothing follows an empty stored value
		assertThat(ForwardedFor.join(List.of("1.1.1.1", ""))).isEqualTo("1.1.1.1");
		assertThat(ForwardedFor.join(List.of("", "2.2.2.2"))).isEqualTo("2.2.2.2");
		assertThat(ForwardedFor.join(List.of("1.1.1.1,", "2.2.2.2"))).isEqualTo("1.1.1.1,,2.2.2.2");
		// a single line is kept as it is, an absent header is no value
		assertThat(ForwardedFor.join(List.of(""))).isEmpty();
		assertThat(ForwardedFor.join(List.of())).isNull();
	}

	@Test
	void aMappedAddressStaysIpv6AndIsNotInAnIpv4Block() {
		// v6only: Envoy keeps an Ipv6Instance, and CidrRange::isInRange compares the
		// family first
		IpAddress mapped = ForwardedFor.lastAddress("::ffff:10.0.0.1", 0);
		assertThat(mapped).isNotNull();
		assertThat(mapped.isV4()).isFalse();
		assertThat(IpBlock.parse("10.0.0.0/8").contains(mapped)).isFalse();
		assertThat(IpBlock.parse("::ffff:10.0.0.0/104").contains(mapped)).isTrue();
	}

	@Test
	void sidecarTakesTheRightMostEntryOrThePeer() {
		RemoteAddresses sidecar = new RemoteAddresses(0);
		assertThat(sidecar.resolve(lines("1.1.1.1, 2.2.2.2"), PEER)).isEqualTo(IpAddress.parse("2.2.2.2"));
		// the header absent, empty, or its last entry unusable: the peer
		// (mutateRequestHeaders's fallback)
		assertThat(sidecar.resolve(List.of(), PEER)).isEqualTo(PEER);
		assertThat(sidecar.resolve(lines(""), PEER)).isEqualTo(PEER);
		assertThat(sidecar.resolve(lines("2.2.2.2,"), PEER)).isEqualTo(PEER);
		assertThat(sidecar.resolve(lines("1.1.1.1", "[::1]"), PEER)).isEqualTo(PEER);
		// a second line is the right-most entry
		assertThat(sidecar.resolve(lines("1.1.1.1", "2.2.2.2"), PEER)).isEqualTo(IpAddress.parse("2.2.2.2"));
		// an empty second line adds no entry
		assertThat(sidecar.resolve(lines("1.1.1.1", ""), PEER)).isEqualTo(IpAddress.parse("1.1.1.1"));
	}

	@Test
	void trustedProxiesCountFromTheRight() {
		// use_remote_address with xff_num_trusted_hops N: getLastAddressFromXFF(headers,
		// N - 1)
		List<String> chain = lines("1.1.1.1, 2.2.2.2, 3.3.3.3");
		assertThat(new RemoteAddresses(1).resolve(chain, PEER)).isEqualTo(IpAddress.parse("3.3.3.3"));
		assertThat(new RemoteAddresses(2).resolve(chain, PEER)).isEqualTo(IpAddress.parse("2.2.2.2"));
		assertThat(new RemoteAddresses(3).resolve(chain, PEER)).isEqualTo(IpAddress.parse("1.1.1.1"));
		// the chain is too short: the peer
		assertThat(new RemoteAddresses(4).resolve(chain, PEER)).isEqualTo(PEER);
		// lines count together, as Envoy has joined them
		assertThat(new RemoteAddresses(2).resolve(lines("1.1.1.1", "2.2.2.2"), PEER))
			.isEqualTo(IpAddress.parse("1.1.1.1"));
		// no peer known and no address: nothing
		assertThat(new RemoteAddresses(2).resolve(lines("1.1.1.1"), null)).isNull();
	}

	private static List<String> lines(String... lines) {
		return Arrays.asList(lines);
	}

}
