package io.github.istiosecurity.test;

import io.github.istiosecurity.autoconfigure.IstioSecurityAutoConfiguration;
import io.github.istiosecurity.check.PolicyCheck;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.istiosecurity.test.IstioAssertions.assertThat;
import static io.github.istiosecurity.test.IstioRequests.get;
import static io.github.istiosecurity.test.IstioRequests.post;

/**
 * {@link IstioPolicies#of(PolicyCheck)} over the application's own {@link PolicyCheck}
 * bean: the policies and settings of the running context, and closing leaves them in
 * force.
 */
class PolicyCheckBeanTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IstioSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.policy-locations=classpath:policies/*.yaml",
				"istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin",
				"istio.security.reload.enabled=false");

	@Test
	void theApplicationsCheckDecides() {
		this.runner.run((context) -> {
			PolicyCheck check = context.getBean(PolicyCheck.class);
			try (IstioPolicies policies = IstioPolicies.of(check)) {
				assertThat(policies.check(get("/public/x"))).isAllowedBy("foo/httpbin", 1);
				assertThat(policies.check(post("/post"))).isDeniedByDefault().isAuditedBy("foo/audit-writes", 0);
			}
			// still usable: the application's key sets were not closed
			assertThat(IstioPolicies.of(check).check(get("/admin/x"))).isDeniedBy("foo/deny-admin", 0);
		});
	}

}
