package io.github.istiosecurity.sample.httpbin;

import io.github.istiosecurity.test.IstioPolicies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.test.IstioAssertions.assertThat;
import static io.github.istiosecurity.test.IstioRequests.delete;
import static io.github.istiosecurity.test.IstioRequests.get;
import static io.github.istiosecurity.test.IstioRequests.head;
import static io.github.istiosecurity.test.IstioRequests.post;

/**
 * httpbin's policies ({@code src/main/resources/istio/}) asserted as an application's own
 * tests would, with {@code istio-security-spring-boot-test}: configured by the
 * application's {@code application.yml} (workload foo/httpbin), every step of the
 * walk-through ({@code demo/README.md}) with what decides it, the committed demo tokens
 * verified against the policy's inline key set. No server is started.
 */
class HttpbinPolicyTests {

	private static final String ISSUER = "testing@secure.istio.io";

	private static IstioPolicies policies;

	@BeforeAll
	static void load() {
		policies = IstioPolicies.fromApplicationProperties("classpath:application.yml").build();
	}

	@AfterAll
	static void close() {
		policies.close();
	}

	@Test
	void user1MayReadAnything() {
		assertThat(policies.check(get("/headers").token(token("user1.jwt")))).isAllowedBy("foo/require-jwt", 0)
			.hasRequestPrincipal(ISSUER + "/user1");
		assertThat(policies.check(get("/status/200").token(token("user1.jwt")))).isAllowedBy("foo/require-jwt", 0);
		// methods match exactly: HEAD is not GET
		assertThat(policies.check(head("/get").token(token("user1.jwt")))).isDeniedByDefault();
	}

	@Test
	void user1MayNotPost() {
		assertThat(policies.check(post("/post").token(token("user1.jwt")))).isDeniedByDefault();
	}

	@Test
	void user2MayUseStatusWithAnyMethod() {
		assertThat(policies.check(get("/status/200").token(token("user2.jwt")))).isAllowedBy("foo/require-jwt", 1);
		assertThat(policies.check(delete("/status/418").token(token("user2.jwt")))).isAllowedBy("foo/require-jwt", 1);
		// /status/* matches one segment or more below /status, not /status itself
		assertThat(policies.check(get("/status").token(token("user2.jwt")))).isDeniedByDefault();
		assertThat(policies.check(get("/headers").token(token("user2.jwt")))).isDeniedByDefault();
	}

	@Test
	void otherCallersAreDeniedByTheAllowPolicy() {
		assertThat(policies.check(get("/get").token(token("user3-groups.jwt")))).isDeniedByDefault()
			.hasRequestPrincipal(ISSUER + "/user3");
		assertThat(policies.check(get("/headers"))).isDeniedByDefault();
		// "bearer" in lower case is not Envoy's prefix: no token was sent
		assertThat(policies.check(get("/headers").header("Authorization", "bearer " + token("user1.jwt"))))
			.isDeniedByDefault();
	}

	@Test
	void badTokensAreRejectedBeforeAnyPolicy() {
		assertThat(policies.check(get("/headers").token(token("expired.jwt")))).isRejectedByJwt("Jwt is expired")
			.hasStatus(401);
		assertThat(policies.check(get("/headers").token("deadbeef")))
			.isRejectedByJwt("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
		assertThat(policies.check(get("/headers").token(token("other-issuer.jwt"))))
			.isRejectedByJwt("Jwt issuer is not configured");
		assertThat(policies.check(get("/headers").token(token("tampered.jwt"))))
			.isRejectedByJwt("Jwt verification fails");
	}

	@Test
	void theAccessTokenParameterCarriesATokenToo() {
		assertThat(policies.check(get("/get?access_token=" + token("user1.jwt")))).isAllowedBy("foo/require-jwt", 0);
	}

	@Test
	void aPrincipalMayStandInForAToken() {
		assertThat(policies.check(delete("/status/418").principal(ISSUER + "/user2"))).isAllowedBy("foo/require-jwt",
				1);
		assertThat(policies.check(post("/post").principal(ISSUER + "/user1"))).isDeniedByDefault();
	}

	private static String token(String file) {
		return DemoFiles.read(file);
	}

}
