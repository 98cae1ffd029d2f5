package io.github.istiosecurity.internal.web;

import java.util.List;

import io.github.istiosecurity.authz.IpAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Reading {@code X-Forwarded-Client-Cert} as Envoy writes it, and believing it only from
 * a trusted proxy.
 */
class ForwardedClientCertTests {

	private static final String SLEEP = "spiffe://cluster.local/ns/sleep/sa/sleep";

	private static final IpAddress PROXY = IpAddress.parse("10.0.0.5");

	private static final IpAddress STRANGER = IpAddress.parse("192.0.2.9");

	@Test
	void noHeaderNoIdentity() {
		assertThat(ForwardedClientCert.lastElementUris(List.of())).isEmpty();
		assertThat(ForwardedClientCert.lastElementUris(List.of(""))).isEmpty();
		assertThat(ForwardedClientCert.lastElementUris(List.of(" , "))).isEmpty();
	}

	@Test
	void theUrisOfOneElementAsEnvoyWritesIt() {
		String header = "By=spiffe://cluster.local/ns/foo/sa/httpbin;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303"
				+ "443c0748a02dd8de688;Subject=\"/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client\";URI=" + SLEEP
				+ ";DNS=sleep.example.com";
		assertThat(ForwardedClientCert.lastElementUris(List.of(header))).containsExactly(SLEEP);
	}

	@Test
	void everyUriPairOfTheElementInOrder() {
		assertThat(ForwardedClientCert.lastElementUris(List.of("Hash=ab;URI=" + SLEEP + ";uri=spiffe://td/x")))
			.containsExactly(SLEEP, "spiffe://td/x");
	}

	@Test
	void onlyTheLastElementCountsTheOneTheNearestProxyAppended() {
		assertThat(ForwardedClientCert
			.lastElementUris(List.of("URI=spiffe://cluster.local/ns/evil/sa/x,By=spiffe://gw;URI=" + SLEEP)))
			.containsExactly(SLEEP);
		assertThat(
				ForwardedClientCert.lastElementUris(List.of("URI=spiffe://cluster.local/ns/evil/sa/x", "URI=" + SLEEP)))
			.as("two lines are one list")
			.containsExactly(SLEEP);
		assertThat(ForwardedClientCert.lastElementUris(List.of("URI=" + SLEEP + ",Hash=ab"))).as("no URI in the last")
			.isEmpty();
		assertThat(ForwardedClientCert.lastElementUris(List.of("URI=" + SLEEP + ", ")))
			.as("a blank element is no element")
			.containsExactly(SLEEP);
	}

	@Test
	void quotedValuesMayHoldSeparatorsAndEscapedQuotes() {
		String header = "URI=spiffe://a/evil,Subject=\"CN=a,O=b;c\";URI=\"" + SLEEP + "\"";
		assertThat(ForwardedClientCert.lastElementUris(List.of(header))).containsExactly(SLEEP);
		assertThat(ForwardedClientCert.lastElementUris(List.of("Subject=\"x\\\",URI=spiffe://a/evil\";URI=" + SLEEP)))
			.containsExactly(SLEEP);
	}

	@Test
	void hostileValuesGiveNoIdentityAndNeverThrow() {
		for (String header : List.of("\"", "\\", "URI=\"", "URI=\"\\", "URI=", "=URI", ";;;", ",,,", "URI", "URI=\"\"",
				"\"URI=" + SLEEP)) {
			assertThat(ForwardedClientCert.lastElementUris(List.of(header))).as(header).isEmpty();
		}
	}

	@Test
	void theHeaderIsReadOnlyFromATrustedProxyAndOnlyWhenEnabled() {
		List<String> header = List.of("URI=" + SLEEP);
		PeerIdentitySource enabled = new PeerIdentitySource(true, List.of("10.0.0.0/8"));
		assertThat(enabled.identities(null, header, PROXY)).containsExactly(SLEEP);
		assertThat(enabled.identities(null, header, STRANGER)).isEmpty();
		assertThat(enabled.identities(null, header, null)).isEmpty();
		assertThat(new PeerIdentitySource(false, List.of("10.0.0.0/8")).identities(null, header, PROXY)).isEmpty();
		assertThat(PeerIdentitySource.CONNECTION.identities(null, header, PROXY)).isEmpty();
		assertThat(new PeerIdentitySource(true, List.of()).readsForwardedClientCert()).isFalse();
	}

	@Test
	void aTrustedProxyThatSendsAnElementWithoutUriSpeaksForAClientWithoutIdentity() {
		PeerIdentitySource enabled = new PeerIdentitySource(true, List.of("10.0.0.5"));
		assertThat(enabled.identities(null, List.of("Hash=ab"), PROXY)).isEmpty();
	}

	@Test
	void aTrustedProxyIsAnAddressOrABlock() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PeerIdentitySource(true, List.of("proxy.local")))
			.withMessage("'proxy.local' is not an IP address or CIDR block");
		assertThat(new PeerIdentitySource(true, List.of(" ::1 ", "fd00::/8")).readsForwardedClientCert()).isTrue();
	}

}
