package io.github.istiosecurity.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.check.CheckRequest;
import io.github.istiosecurity.internal.load.PolicyLoadException;
import io.github.istiosecurity.internal.runtime.MisconfigurationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.test.IstioAssertions.assertThat;
import static io.github.istiosecurity.test.IstioRequests.delete;
import static io.github.istiosecurity.test.IstioRequests.get;
import static io.github.istiosecurity.test.IstioRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link IstioPolicies} built from policy files on the class path and in a directory:
 * what it loads, how it fails, and the request attributes a check takes (token,
 * principal, claims, peer identity, source IP, headers).
 */
class IstioPoliciesTests {

	private static final String ALICE = TestIssuer.ISSUER + "/alice";

	private static TestIssuer issuer;

	private static IstioPolicies policies;

	@BeforeAll
	static void policies() {
		issuer = TestIssuer.start();
		policies = httpbin().build();
	}

	@AfterAll
	static void close() {
		policies.close();
	}

	private static IstioPolicies.Builder httpbin() {
		return IstioPolicies.builder()
			.policyLocations("classpath:policies/*.yaml", issuer.location())
			.namespace("foo")
			.label("app", "httpbin");
	}

	@Test
	void aTokenIsVerifiedAgainstThePolicysKeySet() {
		assertThat(policies.check(get("/headers").token(issuer.token("alice")))).isAllowedBy("foo/httpbin", 0)
			.hasRequestPrincipal(ALICE);
		assertThat(policies.check(get("/headers").token(issuer.forgedToken("alice"))))
			.isRejectedByJwt("Jwt verification fails");
		assertThat(policies.check(get("/headers").token("deadbeef")))
			.isRejectedByJwt("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
	}

	@Test
	void tokenTimesAreCheckedOnTheGivenClockWithTheGivenSkew() {
		Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
		String token = issuer.token("alice", expiry);
		try (IstioPolicies before = httpbin().clock(Clock.fixed(expiry.minusSeconds(1), ZoneOffset.UTC)).build();
				IstioPolicies within = httpbin().clock(Clock.fixed(expiry.plusSeconds(30), ZoneOffset.UTC)).build();
				IstioPolicies strict = httpbin().clock(Clock.fixed(expiry.plusSeconds(30), ZoneOffset.UTC))
					.clockSkew(Duration.ZERO)
					.build()) {
			assertThat(before.check(get("/headers").token(token))).isAllowed();
			// Envoy's default skew of 60 s
			assertThat(within.check(get("/headers").token(token))).isAllowed();
			assertThat(strict.check(get("/headers").token(token))).isRejectedByJwt("Jwt is expired");
		}
	}

	@Test
	void claimsAreTakenAsVerified() {
		assertThat(policies.check(get("/admin/users").principal(ALICE).claim("groups", List.of("admins"))))
			.isAllowedBy("foo/httpbin", 0);
		assertThat(policies.check(get("/admin/users").principal(ALICE))).isDeniedBy("foo/deny-admin", 0);
	}

	@Test
	void peerPrincipalSourceIpAndHeadersAreMatched() {
		assertThat(policies.check(get("/internal/metrics").peerPrincipal("cluster.local/ns/foo/sa/sleep")))
			.isAllowedBy("foo/httpbin", 2);
		assertThat(policies.check(get("/internal/metrics").peerPrincipal("cluster.local/ns/bar/sa/sleep")))
			.isDeniedByDefault();
		assertThat(policies.check(get("/team/x").sourceIp("10.1.2.3").header("X-Team", "blue")))
			.isAllowedBy("foo/httpbin", 3);
		assertThat(policies.check(get("/team/x").sourceIp("192.168.1.1").header("x-team", "blue"))).isDeniedByDefault();
		assertThat(policies.check(get("/team/x").sourceIp("10.1.2.3").header("x-team", "red"))).isDeniedByDefault();
	}

	@Test
	void peersOfATrustDomainAliasAreTheMeshs() {
		// the policy names cluster.local/ns/foo/sa/sleep; the peer comes from the mesh's
		// former trust domain
		CheckRequest oldDomain = get("/internal/metrics").peerPrincipal("old.example/ns/foo/sa/sleep").build();
		assertThat(policies.check(oldDomain)).isDeniedByDefault();
		try (IstioPolicies aliased = httpbin().trustDomainAliases(List.of("old.example")).build()) {
			assertThat(aliased.check(oldDomain)).isAllowedBy("foo/httpbin", 2);
		}
	}

	@Test
	void pathsAreNormalizedAsConfigured() {
		assertThat(policies.check(get("/public/../admin/x"))).isDeniedBy("foo/deny-admin", 0);
		assertThat(policies.check(get("/public//x"))).isAllowedBy("foo/httpbin", 1);
		try (IstioPolicies merging = httpbin().pathNormalization(PathNormalization.MERGE_SLASHES).build()) {
			assertThat(merging.check(get("//admin//x"))).isDeniedBy("foo/deny-admin", 0);
		}
		assertThat(policies.check(get("//admin//x"))).isDeniedByDefault();
	}

	@Test
	void theRootNamespaceIsConfigurable() {
		assertThat(policies.check(request("TRACE", "/public/x"))).isAllowedBy("foo/httpbin", 1);
		try (IstioPolicies meshRoot = httpbin().rootNamespace("mesh-root").build()) {
			assertThat(meshRoot.check(request("TRACE", "/public/x"))).isDeniedBy("mesh-root/deny-trace", 0);
		}
	}

	@Test
	void aCustomPolicyWithoutItsAuthorizerDenies() {
		assertThat(policies.check(delete("/ext/x"))).isDeniedBy("foo/ext-authz", 0).hasStatus(403);
	}

	@Test
	void anInvalidPolicyFailsWithFileLineAndField() {
		assertThatExceptionOfType(PolicyLoadException.class)
			.isThrownBy(() -> IstioPolicies.builder().policyLocations("classpath:invalid/*.yaml").build())
			.withMessageContaining("invalid/bad-action.yaml:7: spec.action: ")
			.withMessageContaining("ALOW");
	}

	@Test
	void aLocationThatMatchesNoFileFails() {
		assertThatExceptionOfType(MisconfigurationException.class)
			.isThrownBy(() -> httpbin().policyLocations("classpath:policies/*.yml").build())
			.withMessageContaining("Policy location classpath:policies/*.yml matches no file");
	}

	@Test
	void policiesThatApplyToAnotherWorkloadFail() {
		assertThatExceptionOfType(MisconfigurationException.class).isThrownBy(() -> httpbin().namespace("bar").build())
			.withMessageStartingWith("The loaded Istio policies do not protect this workload:");
	}

	@Test
	void policiesMayBeOptionalAsInTheStarter() {
		try (IstioPolicies none = httpbin().policyLocations("classpath:policies/*.yml")
			.requirePolicies(false)
			.build()) {
			assertThat(none.check(get("/admin/x"))).isAllowedByDefault();
		}
	}

	@Test
	void theDefaultLocationIsTheStarters() {
		// classpath*:istio/*.yaml matches nothing in this module: as in the starter the
		// location may be empty,
		// but required policies still fail for want of any policy
		assertThatExceptionOfType(MisconfigurationException.class)
			.isThrownBy(() -> IstioPolicies.builder().namespace("foo").build())
			.withMessageContaining("No Istio policy of any kind was loaded (read classpath*:istio/*.yaml)")
			.withMessageNotContaining("matches no file");
	}

	@Test
	void twoAuthorizersOfOneNameAreRefused() {
		IstioPolicies.Builder builder = httpbin().extensionAuthorizer(new NamedAuthorizer("my-authz"));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> builder.extensionAuthorizer(new NamedAuthorizer("my-authz")))
			.withMessage("An ExtensionAuthorizer named 'my-authz' was already added");
	}

	private record NamedAuthorizer(String name) implements ExtensionAuthorizer {

		@Override
		public ExtensionDecision check(RequestAttributes request) {
			return ExtensionDecision.allow();
		}

	}

}
