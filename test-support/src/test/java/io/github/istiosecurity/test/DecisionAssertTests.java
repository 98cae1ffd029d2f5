package io.github.istiosecurity.test;

import java.time.Instant;
import java.util.List;

import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.check.CheckResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.test.IstioAssertions.assertThat;
import static io.github.istiosecurity.test.IstioRequests.get;
import static io.github.istiosecurity.test.IstioRequests.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each assertion of {@link DecisionAssert} passing on the decision it names and failing
 * on another, with a message that says what was expected, what happened, and the whole
 * explanation; never the token.
 */
class DecisionAssertTests {

	private static final String ALICE = TestIssuer.ISSUER + "/alice";

	private static TestIssuer issuer;

	private static IstioPolicies policies;

	@BeforeAll
	static void policies() {
		issuer = TestIssuer.start();
		policies = IstioPolicies.builder()
			.policyLocations("classpath:policies/*.yaml", issuer.location())
			.namespace("foo")
			.label("app", "httpbin")
			.extensionAuthorizer(new HeaderAuthorizer())
			.build();
	}

	@AfterAll
	static void close() {
		policies.close();
	}

	@Test
	void isAllowed() {
		assertThat(policies.check(get("/get").principal(ALICE))).isAllowed();
		assertThat(failure(() -> assertThat(bobPosts()).isAllowed()))
			.startsWith("\nExpecting the request to be allowed, but it was denied by default (403).\nDecision: ")
			.contains("403 denied (path /post, principal " + TestIssuer.ISSUER + "/bob, jwt assumed)")
			.contains("ALLOW foo/httpbin did not match: no rule matched. rule 0: "
					+ "to[0].operation.methods [GET] did not match method \"POST\"");
	}

	@Test
	void isAllowedByPolicyAndRule() {
		CheckResult alice = policies.check(get("/get").principal(ALICE));
		assertThat(alice).isAllowedBy("foo/httpbin").isAllowedBy("foo/httpbin", 0);
		assertThat(failure(() -> assertThat(alice).isAllowedBy("foo/httpbin", 1)))
			.startsWith("\nExpecting the request to be allowed by foo/httpbin rule 1, but it was allowed by "
					+ "foo/httpbin rule 0.\nDecision: 200 allowed")
			.contains("ALLOW foo/httpbin matched: rule 0 matched: to[0].operation (methods), "
					+ "from[0].source (requestPrincipals)");
		assertThat(failure(() -> assertThat(bobPosts()).isAllowedBy("foo/httpbin")))
			.startsWith("\nExpecting the request to be allowed by foo/httpbin, but it was denied by default (403).");
	}

	@Test
	void isAllowedByDefault() {
		try (IstioPolicies otherApp = IstioPolicies.builder()
			.policyLocations("classpath:policies/*.yaml")
			.namespace("foo")
			.label("app", "other")
			.build()) {
			// only the namespace's AUDIT and CUSTOM policies apply: no ALLOW policy,
			// nothing denies a GET
			assertThat(otherApp.check(get("/get"))).isAllowedByDefault().isAllowed();
		}
		assertThat(failure(() -> assertThat(policies.check(get("/get").principal(ALICE))).isAllowedByDefault()))
			.startsWith("\nExpecting the request to be allowed by default (no ALLOW policy applies), but it was "
					+ "allowed by foo/httpbin rule 0.");
	}

	@Test
	void isDenied() {
		assertThat(bobPosts()).isDenied();
		assertThat(failure(() -> assertThat(policies.check(get("/public/x"))).isDenied()))
			.startsWith("\nExpecting the request to be denied, but it was allowed by foo/httpbin rule 1.\nDecision: ")
			.contains("ALLOW foo/httpbin matched: rule 1 matched: to[0].operation (paths)");
	}

	@Test
	void isDeniedByPolicyAndRule() {
		CheckResult admin = policies.check(get("/admin/users").principal(ALICE).claim("groups", List.of("staff")));
		assertThat(admin).isDeniedBy("foo/deny-admin").isDeniedBy("foo/deny-admin", 0).hasStatus(403);
		assertThat(failure(() -> assertThat(admin).isDeniedBy("foo/deny-admin", 1)))
			.startsWith("\nExpecting the request to be denied by foo/deny-admin rule 1, but it was denied by "
					+ "foo/deny-admin rule 0 (DENY, 403).")
			.contains("DENY foo/deny-admin matched: rule 0 matched: to[0].operation (paths), "
					+ "when[0] request.auth.claims[groups]")
			// the claim's value is not shown
			.doesNotContain("staff");
		assertThat(failure(() -> assertThat(bobPosts()).isDeniedBy("foo/deny-admin")))
			.startsWith("\nExpecting the request to be denied by foo/deny-admin, but it was denied by default (403).")
			.contains("DENY foo/deny-admin did not match: no rule matched. rule 0: "
					+ "to[0].operation.paths [/admin/*] did not match path \"/post\"");
	}

	@Test
	void isDeniedByDefault() {
		assertThat(bobPosts()).isDeniedByDefault();
		CheckResult admin = policies.check(get("/admin/x").principal(ALICE));
		assertThat(failure(() -> assertThat(admin).isDeniedByDefault()))
			.startsWith("\nExpecting the request to be denied by default (403, no ALLOW rule matched), but it was "
					+ "denied by foo/deny-admin rule 0 (DENY, 403).");
		CheckResult expired = policies.check(get("/get").token(issuer.token("alice", Instant.now().minusSeconds(600))));
		assertThat(failure(() -> assertThat(expired).isDeniedByDefault()))
			.contains("but it was rejected by JWT authentication with 401 \"Jwt is expired\".");
	}

	@Test
	void isRejectedByJwtNeverShowsTheToken() {
		String expiredToken = issuer.token("alice", Instant.now().minusSeconds(600));
		CheckResult expired = policies.check(get("/get").token(expiredToken));
		assertThat(expired).isRejectedByJwt().isRejectedByJwt("Jwt is expired").hasStatus(401).isDenied();
		String forgedToken = issuer.forgedToken("alice");
		assertThat(policies.check(get("/get").token(forgedToken))).isRejectedByJwt("Jwt verification fails");
		String message = failure(() -> assertThat(expired).isRejectedByJwt("Jwt verification fails"));
		assertThat(message)
			.startsWith("\nExpecting the request to be rejected by JWT authentication with \"Jwt verification fails\", "
					+ "but it was rejected by JWT authentication with 401 \"Jwt is expired\".\nDecision: 401 denied")
			.contains("JWT authentication rejected the token: Jwt is expired")
			.doesNotContain(expiredToken)
			.doesNotContain(expiredToken.substring(expiredToken.lastIndexOf('.') + 1));
		assertThat(failure(() -> assertThat(bobPosts()).isRejectedByJwt())).startsWith(
				"\nExpecting the request to be rejected by JWT authentication, but it was denied by default (403).");
	}

	@Test
	void hasStatus() {
		assertThat(policies.check(get("/get").principal(ALICE))).hasStatus(200);
		assertThat(failure(() -> assertThat(bobPosts()).hasStatus(200)))
			.startsWith("\nExpecting the request to get status 200, but it was denied by default (403).");
	}

	@Test
	void isAuditedBy() {
		CheckResult alicePosts = policies.check(post("/post").principal(ALICE));
		assertThat(alicePosts).isAuditedBy("foo/audit-writes", 0).isDeniedByDefault();
		assertThat(failure(
				() -> assertThat(policies.check(get("/get").principal(ALICE))).isAuditedBy("foo/audit-writes", 0)))
			.startsWith("\nExpecting the request to be audited by foo/audit-writes rule 0, but it was allowed by "
					+ "foo/httpbin rule 0.")
			.contains("AUDIT foo/audit-writes did not match: no rule matched. rule 0: "
					+ "to[0].operation.methods [POST, PUT, DELETE] did not match method \"GET\"");
	}

	@Test
	void hasRequestPrincipal() {
		assertThat(policies.check(get("/get").token(issuer.token("alice")))).hasRequestPrincipal(ALICE).isAllowed();
		assertThat(failure(() -> assertThat(policies.check(get("/get"))).hasRequestPrincipal(ALICE)))
			.startsWith("\nExpecting the request to have request principal " + ALICE + ", but it was denied by "
					+ "default (403).")
			.contains("jwt no-token");
	}

	@Test
	void customDenialAndRefusalAreNamed() {
		CheckResult custom = policies.check(get("/ext/x"));
		assertThat(custom).isDeniedBy("foo/ext-authz", 0).hasStatus(418);
		assertThat(failure(() -> assertThat(custom).isAllowed()))
			.contains("but it was denied by foo/ext-authz rule 0 (CUSTOM, 418).");
		assertThat(policies.check(get("/ext/x").header("x-ext", "yes"))).isAllowedBy("foo/httpbin", 4);
		CheckResult refused = policies.check(get("/public/x;a=b"));
		assertThat(refused).isDenied().hasStatus(400);
		assertThat(failure(() -> assertThat(refused).isAllowed())).contains("but it was refused with 400");
	}

	@Test
	void descriptionAndNullAreAssertJs() {
		assertThat(failure(() -> assertThat(bobPosts()).as("bob posts").isAllowed()))
			.startsWith("[bob posts] \nExpecting the request to be allowed");
		assertThat(failure(() -> assertThat((CheckResult) null).isAllowed()))
			.contains("Expecting actual not to be null");
	}

	private static CheckResult bobPosts() {
		return policies.check(post("/post").principal(TestIssuer.ISSUER + "/bob"));
	}

	private static String failure(Runnable assertion) {
		return assertThatExceptionOfType(AssertionError.class).isThrownBy(assertion::run).actual().getMessage();
	}

	/**
	 * The provider {@code my-authz}: allows requests with {@code x-ext: yes}, answers 418
	 * to the others.
	 */
	private static final class HeaderAuthorizer implements ExtensionAuthorizer {

		@Override
		public String name() {
			return "my-authz";
		}

		@Override
		public ExtensionDecision check(RequestAttributes request) {
			return "yes".equals(request.header("x-ext")) ? ExtensionDecision.allow()
					: ExtensionDecision.deny(418, "teapot says no");
		}

	}

}
