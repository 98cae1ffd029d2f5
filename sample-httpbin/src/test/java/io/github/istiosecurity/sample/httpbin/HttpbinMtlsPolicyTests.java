package io.github.istiosecurity.sample.httpbin;

import io.github.istiosecurity.test.IstioPolicies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.test.IstioAssertions.assertThat;
import static io.github.istiosecurity.test.IstioRequests.delete;
import static io.github.istiosecurity.test.IstioRequests.get;
import static io.github.istiosecurity.test.IstioRequests.post;

/**
 * The mtls profile's policies ({@code application-mtls.yml}: the demo issuer, and
 * {@code istio-mtls/httpbin-authz.yaml} instead of {@code istio/httpbin-authz.yaml})
 * decided without a server: every rule needs the peer
 * {@code cluster.local/ns/sleep/sa/sleep} and the caller's token. The TLS side, where the
 * peer comes from a verified certificate, is the black-box {@code *MtlsJarIT}.
 */
class HttpbinMtlsPolicyTests {

	private static final String SLEEP = "cluster.local/ns/sleep/sa/sleep";

	private static final String INTRUDER = "cluster.local/ns/other/sa/intruder";

	private static IstioPolicies policies;

	@BeforeAll
	static void load() {
		policies = IstioPolicies
			.fromApplicationProperties("classpath:application.yml", "classpath:application-mtls.yml")
			.build();
	}

	@AfterAll
	static void close() {
		policies.close();
	}

	@Test
	void sleepWithTheCallersTokenGetsTheWalkThroughsRules() {
		assertThat(policies.check(get("/headers").peerPrincipal(SLEEP).token(token("user1.jwt"))))
			.isAllowedBy("foo/require-sleep-and-jwt", 0);
		assertThat(policies.check(delete("/status/418").peerPrincipal("spiffe://" + SLEEP).token(token("user2.jwt"))))
			.isAllowedBy("foo/require-sleep-and-jwt", 1);
		assertThat(policies.check(post("/post").peerPrincipal(SLEEP).token(token("user1.jwt")))).isDeniedByDefault();
		assertThat(policies.check(get("/headers").peerPrincipal(SLEEP))).isDeniedByDefault();
	}

	@Test
	void anotherPeerOrNoneIsDeniedWhateverTheToken() {
		assertThat(policies.check(get("/headers").peerPrincipal(INTRUDER).token(token("user1.jwt"))))
			.isDeniedByDefault();
		assertThat(policies.check(delete("/status/418").peerPrincipal(INTRUDER).token(token("user2.jwt"))))
			.isDeniedByDefault();
		// the profile replaces require-jwt: a token alone no longer suffices
		assertThat(policies.check(get("/headers").token(token("user1.jwt")))).isDeniedByDefault();
	}

	@Test
	void badTokensAreStillRejectedBeforeAnyPolicy() {
		assertThat(policies.check(get("/headers").peerPrincipal(SLEEP).token(token("expired.jwt"))))
			.isRejectedByJwt("Jwt is expired");
	}

	private static String token(String file) {
		return DemoFiles.read(file);
	}

}
