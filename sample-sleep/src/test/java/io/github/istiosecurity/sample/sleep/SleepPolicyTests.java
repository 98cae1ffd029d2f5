package io.github.istiosecurity.sample.sleep;

import io.github.istiosecurity.check.PolicyCheck;
import io.github.istiosecurity.test.IstioPolicies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static io.github.istiosecurity.test.IstioAssertions.assertThat;
import static io.github.istiosecurity.test.IstioRequests.delete;
import static io.github.istiosecurity.test.IstioRequests.get;
import static io.github.istiosecurity.test.IstioRequests.post;

/**
 * sleep's policies ({@code src/main/resources/istio/}) asserted through the application's
 * own {@link PolicyCheck} bean, with {@code istio-security-spring-boot-test}: the context
 * is sleep's as configured by its {@code application.yml} (workload foo/sleep), no server
 * is started and no request is sent.
 */
@SpringBootTest(properties = "sleep.replay.on-startup=false")
class SleepPolicyTests {

	private static final String ISSUER = "testing@secure.istio.io";

	@Autowired
	PolicyCheck check;

	IstioPolicies policies;

	@BeforeEach
	void policies() {
		this.policies = IstioPolicies.of(this.check);
	}

	@Test
	void theReplayIsOpenToEveryone() {
		assertThat(this.policies.check(get("/replay"))).isAllowedBy("foo/sleep-allow", 0);
		assertThat(this.policies.check(get("/replay/table"))).isAllowedBy("foo/sleep-allow", 0);
		// GET only, and only the replay
		assertThat(this.policies.check(post("/replay"))).isDeniedByDefault();
		assertThat(this.policies.check(get("/actuator/health"))).isDeniedByDefault();
	}

	@Test
	void callsNeedADemoToken() {
		assertThat(this.policies.check(get("/call/headers").token(DemoTokens.value("user1.jwt"))))
			.isAllowedBy("foo/sleep-allow", 1)
			.hasRequestPrincipal(ISSUER + "/user1");
		// sleep lets any demo user call with any method; httpbin decides what the caller
		// may do there
		assertThat(this.policies.check(post("/call/post").token(DemoTokens.value("user1.jwt"))))
			.isAllowedBy("foo/sleep-allow", 1);
		assertThat(this.policies.check(delete("/call/status/200").principal(ISSUER + "/user3")))
			.isAllowedBy("foo/sleep-allow", 1);
		assertThat(this.policies.check(get("/call/headers"))).isDeniedByDefault();
		// /call/* needs something below /call
		assertThat(this.policies.check(get("/call").token(DemoTokens.value("user1.jwt")))).isDeniedByDefault();
	}

	@Test
	void badTokensAreRejectedBySleepItself() {
		assertThat(this.policies.check(get("/call/headers").token(DemoTokens.value("expired.jwt"))))
			.isRejectedByJwt("Jwt is expired");
		assertThat(this.policies.check(get("/call/headers").token(DemoTokens.value("tampered.jwt"))))
			.isRejectedByJwt("Jwt verification fails");
		assertThat(this.policies.check(get("/replay").token(DemoTokens.value("other-issuer.jwt"))))
			.isRejectedByJwt("Jwt issuer is not configured");
	}

}
