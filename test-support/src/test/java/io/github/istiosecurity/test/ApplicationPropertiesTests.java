package io.github.istiosecurity.test;

import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.test.IstioAssertions.assertThat;
import static io.github.istiosecurity.test.IstioRequests.get;
import static io.github.istiosecurity.test.IstioRequests.request;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link IstioPolicies#fromApplicationProperties(String...)}: the workload, locations and
 * settings of an application's {@code application.yml}, bound as the application binds
 * them.
 */
class ApplicationPropertiesTests {

	private static TestIssuer issuer;

	@BeforeAll
	static void issuer() {
		issuer = TestIssuer.start();
	}

	@Test
	void theApplicationsWorkloadLocationsAndMeshSettingsApply() {
		// the profile's document (namespace staging) is not read: foo/httpbin's policies
		// apply
		try (IstioPolicies policies = IstioPolicies.fromApplicationProperties("classpath:config/application.yml")
			.build()) {
			assertThat(policies.check(get("/public/x"))).isAllowedBy("foo/httpbin", 1);
			assertThat(policies.check(request("TRACE", "/public/x"))).isDeniedBy("mesh-root/deny-trace", 0);
			assertThat(policies.check(get("/internal/x").peerPrincipal("old.example/ns/foo/sa/sleep")))
				.isAllowedBy("foo/httpbin", 2);
		}
	}

	@Test
	void theApplicationsJwtSettingsApply() {
		// expired 10 s ago: within the default skew of 60 s, beyond the application's 5 s
		String token = issuer.token("alice", Instant.now().minusSeconds(10));
		try (IstioPolicies policies = IstioPolicies.fromApplicationProperties("classpath:config/application.yml")
			.policyLocations("classpath:policies/*.yaml", issuer.location())
			.build()) {
			assertThat(policies.check(get("/get").token(token))).isRejectedByJwt("Jwt is expired");
		}
		try (IstioPolicies policies = IstioPolicies.builder()
			.policyLocations("classpath:policies/*.yaml", issuer.location())
			.namespace("foo")
			.label("app", "httpbin")
			.build()) {
			assertThat(policies.check(get("/get").token(token))).isAllowedBy("foo/httpbin", 0);
		}
	}

	@Test
	void laterFilesWin() {
		// namespace bar: foo's policies no longer apply, the mesh-wide one still does
		try (IstioPolicies policies = IstioPolicies
			.fromApplicationProperties("classpath:config/application.yml",
					"classpath:config/other-namespace.properties")
			.build()) {
			assertThat(policies.check(get("/admin/x"))).isAllowedByDefault();
			assertThat(policies.check(request("TRACE", "/admin/x"))).isDeniedBy("mesh-root/deny-trace", 0);
		}
	}

	@Test
	void anApplicationWithoutEnforcementIsRefused() {
		assertThatIllegalStateException()
			.isThrownBy(() -> IstioPolicies.fromApplicationProperties("classpath:config/disabled.yml"))
			.withMessage("istio.security.enabled is false in [classpath:config/disabled.yml]: "
					+ "the application enforces no policy");
	}

	@Test
	void anInvalidValueIsNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> IstioPolicies.fromApplicationProperties("classpath:config/invalid-value.yml"))
			.withMessageStartingWith("Invalid istio.security property in [classpath:config/invalid-value.yml]: ")
			.withMessageContaining("'istio.security.path-normalization'")
			.withMessageEndingWith("No enum constant io.github.istiosecurity.authz.PathNormalization.TIDY");
	}

	@Test
	void aMissingFileIsNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> IstioPolicies.fromApplicationProperties("classpath:config/absent.yml"))
			.withMessage("No application properties at classpath:config/absent.yml");
	}

}
