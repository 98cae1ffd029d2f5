package io.github.istiosecurity.internal.authz.compile;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.Rule;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.authz.compile.Policies.allow;
import static io.github.istiosecurity.internal.authz.compile.Policies.compile;
import static io.github.istiosecurity.internal.authz.compile.Policies.custom;
import static io.github.istiosecurity.internal.authz.compile.Policies.deny;
import static io.github.istiosecurity.internal.authz.compile.Policies.dryRun;
import static io.github.istiosecurity.internal.authz.compile.Policies.op;
import static io.github.istiosecurity.internal.authz.compile.Policies.policy;
import static io.github.istiosecurity.internal.authz.compile.Policies.selecting;
import static io.github.istiosecurity.internal.authz.compile.Policies.targeting;
import static io.github.istiosecurity.internal.authz.compile.Policies.to;
import static io.github.istiosecurity.internal.authz.engine.DecisionAssert.assertThat;
import static io.github.istiosecurity.internal.authz.engine.TestRequest.get;
import static io.github.istiosecurity.internal.authz.engine.TestRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision algorithm of §3.4 with policies built in code: actions, their order,
 * applicability, dry-run, AUDIT and CUSTOM.
 */
class ActionSemanticsTests {

	@Test
	void noPolicyAllowsEverything() {
		assertThat(compile().authorization().authorize(get("/anything"))).isAllowedWithoutAllowPolicy();
	}

	@Test
	void allowPolicyWithoutRulesDeniesEverything() {
		assertThat(compile(allow("allow-nothing")).authorization().authorize(get("/"))).isDeniedByDefault();
	}

	@Test
	void oneEmptyRuleAllowsEverything() {
		assertThat(compile(allow("allow-all", Rule.ANY)).authorization().authorize(request("DELETE", "/admin")))
			.isAllowedBy("foo/allow-all", 0);
	}

	@Test
	void denyIsEvaluatedBeforeAllow() {
		CompiledPolicies snapshot = compile(allow("allow-all", Rule.ANY), deny("deny-all", Rule.ANY));
		assertThat(snapshot.authorization().authorize(get("/"))).isDeniedBy("foo/deny-all", 0);
	}

	@Test
	void allowPoliciesAreOred() {
		CompiledPolicies snapshot = compile(allow("a", to(op().paths("/a").build())),
				allow("b", to(op().paths("/b").build())));
		assertThat(snapshot.authorization().authorize(get("/b"))).isAllowedBy("foo/b", 0);
		assertThat(snapshot.authorization().authorize(get("/c"))).isDeniedByDefault();
	}

	@Test
	void rootNamespacePoliciesApplyToEveryWorkloadAndCombineByAction() {
		CompiledPolicies snapshot = compile(
				policy("istio-system", "mesh-deny-delete", Action.DENY, to(op().methods("DELETE").build())),
				allow("allow-all", Rule.ANY));
		assertThat(snapshot.authorization().authorize(request("DELETE", "/x")))
			.isDeniedBy("istio-system/mesh-deny-delete", 0);
		assertThat(snapshot.authorization().authorize(get("/x"))).isAllowedBy("foo/allow-all", 0);
	}

	@Test
	void rootNamespaceSelectorAppliesAcrossNamespaces() {
		CompiledPolicies snapshot = compile(
				selecting(policy("istio-system", "mesh-httpbin", Action.ALLOW), Map.of("app", "httpbin")));
		assertThat(snapshot.authorization().authorize(get("/"))).isDeniedByDefault();
	}

	@Test
	void policyWhoseSelectorDoesNotMatchIsIgnored() {
		CompiledPolicies snapshot = compile(selecting(allow("other"), Map.of("app", "other")));
		assertThat(snapshot.authorization().authorize(get("/"))).isAllowedWithoutAllowPolicy();
		assertThat(snapshot.ignoredPolicies()).singleElement()
			.satisfies((ignored) -> assertThat(ignored.reason()).contains("does not match"));
	}

	@Test
	void policyInAnotherNamespaceIsIgnored() {
		assertThat(compile(policy("bar", "allow-nothing", Action.ALLOW)).authorization().authorize(get("/")))
			.isAllowedWithoutAllowPolicy();
	}

	@Test
	void policyWithTargetRefsIsIgnored() {
		CompiledPolicies snapshot = compile(targeting(allow("gateway-only")));
		assertThat(snapshot.authorization().authorize(get("/"))).isAllowedWithoutAllowPolicy();
		assertThat(snapshot.ignoredPolicies()).singleElement()
			.satisfies((ignored) -> assertThat(ignored.reason()).contains("targetRefs"));
	}

	@Test
	void twoListItemsUnderRulesAreTwoRules() {
		CompiledPolicies snapshot = compile(allow("two-rules", to(op().paths("/foo").build()),
				Policies.from(Policies.src().namespaces("foo").build())));
		assertThat(snapshot.authorization().authorize(get("/foo"))).isAllowedBy("foo/two-rules", 0);
		assertThat(snapshot.authorization().authorize(get("/other").mtlsPeer("bar", "x"))).isDeniedByDefault();
		assertThat(snapshot.authorization().authorize(get("/other").mtlsPeer("foo", "x"))).isAllowedBy("foo/two-rules",
				1);
	}

	@Test
	void dryRunDenyNeverDeniesButReportsTheShadowResult() {
		CompiledPolicies snapshot = compile(dryRun(deny("deny-headers", to(op().paths("/headers").build()))));
		Decision decision = snapshot.authorization().authorize(get("/headers"));
		assertThat(decision).isAllowedWithoutAllowPolicy();
		assertThat(decision.dryRunDeny()).isNotNull();
		assertThat(decision.dryRunDeny().denied()).isTrue();
		assertThat(decision.dryRunDeny().rule().ruleId()).isEqualTo("ns[foo]-policy[deny-headers]-rule[0]");
		assertThat(decision.explain()).contains("dry-run DENY would deny (ns[foo]-policy[deny-headers]-rule[0])");
		assertThat(snapshot.authorization().authorize(get("/ip")).dryRunDeny().denied()).isFalse();
	}

	@Test
	void dryRunAllowPoliciesDoNotCreateDefaultDeny() {
		CompiledPolicies snapshot = compile(dryRun(allow("only-a", to(op().paths("/a").build()))));
		Decision decision = snapshot.authorization().authorize(get("/b"));
		assertThat(decision).isAllowedWithoutAllowPolicy();
		assertThat(decision.dryRunAllow().denied()).isTrue();
		assertThat(snapshot.authorization().authorize(get("/a")).dryRunAllow().denied()).isFalse();
		assertThat(snapshot.authorization().denyByDefault()).isFalse();
	}

	@Test
	void auditMarksMatchingRequestsAndNeverDenies() {
		CompiledPolicies snapshot = compile(policy("foo", "audit-get", Action.AUDIT, to(op().methods("GET").build())));
		assertThat(snapshot.authorization().authorize(get("/"))).isAllowedWithoutAllowPolicy()
			.isAuditedBy("foo/audit-get", 0);
		assertThat(snapshot.authorization().authorize(request("POST", "/"))).isAllowedWithoutAllowPolicy()
			.isNotAudited();
	}

	@Test
	void auditDoesNotCountAsAnAllowPolicy() {
		CompiledPolicies snapshot = compile(policy("foo", "audit-all", Action.AUDIT, Rule.ANY));
		assertThat(snapshot.authorization().denyByDefault()).isFalse();
	}

	@Test
	void customWithUnknownProviderDeniesMatchingRequests() {
		CompiledPolicies snapshot = compile(custom("ext", "missing", to(op().paths("/admin*").build())));
		Decision decision = snapshot.authorization().checkCustom(get("/admin/x"));
		assertThat(decision).isDenied()
			.hasReason(Decision.Reason.CUSTOM_PROVIDER_UNKNOWN)
			.hasStatus(403)
			.hasBody("RBAC: access denied");
		assertThat(snapshot.authorization().checkCustom(get("/public"))).isAllowed()
			.hasReason(Decision.Reason.CUSTOM_NOT_TRIGGERED);
	}

	@Test
	void customAsksTheAuthorizerOnlyWhenARuleMatches() {
		int[] calls = { 0 };
		ExtensionAuthorizer authorizer = authorizer("ext-authz", (request) -> {
			calls[0]++;
			return request.header("x-allowed") != null ? ExtensionDecision.allow()
					: new ExtensionDecision(false, 401, Map.of("x-reason", "no"), "denied by ext-authz");
		});
		CompiledPolicies snapshot = new PolicyCompiler(Policies.HTTPBIN, MeshSettings.DEFAULTS,
				Map.of("ext-authz", authorizer))
			.compile(List.of(custom("ext", "ext-authz", to(op().paths("/ext*").build()))));
		assertThat(snapshot.authorization().checkCustom(get("/other"))).isAllowed();
		assertThat(calls[0]).isZero();
		assertThat(snapshot.authorization().checkCustom(get("/ext").header("x-allowed", "1"))).isAllowed()
			.hasReason(Decision.Reason.CUSTOM_ALLOWED);
		Decision denied = snapshot.authorization().checkCustom(get("/ext"));
		assertThat(denied).isDenied()
			.hasReason(Decision.Reason.CUSTOM_DENIED)
			.hasStatus(401)
			.hasBody("denied by ext-authz");
		assertThat(denied.headers()).containsEntry("x-reason", "no");
		assertThat(calls[0]).isEqualTo(2);
	}

	@Test
	void customAuthorizerFailureDeniesWith403AndNoBody() {
		ExtensionAuthorizer failing = authorizer("ext-authz", (request) -> {
			throw new IllegalStateException("down");
		});
		CompiledPolicies snapshot = new PolicyCompiler(Policies.HTTPBIN, MeshSettings.DEFAULTS,
				Map.of("ext-authz", failing))
			.compile(List.of(custom("ext", "ext-authz", Rule.ANY)));
		assertThat(snapshot.authorization().checkCustom(get("/"))).isDenied()
			.hasReason(Decision.Reason.CUSTOM_ERROR)
			.hasStatus(403)
			.hasBody("");
	}

	@Test
	void aFailedCheckDeniesWithStatusOnErrorOrFailsOpenAndTheDecisionSaysWhy() {
		ExtensionAuthorizer closed = authorizer("ext-authz",
				(request) -> ExtensionDecision.failed(false, 503, "no answer within the timeout of 500 ms"));
		Decision denied = new PolicyCompiler(Policies.HTTPBIN, MeshSettings.DEFAULTS, Map.of("ext-authz", closed))
			.compile(List.of(custom("ext", "ext-authz", Rule.ANY)))
			.authorization()
			.checkCustom(get("/"));
		assertThat(denied).isDenied().hasReason(Decision.Reason.CUSTOM_ERROR).hasStatus(503).hasBody("");
		assertThat(denied.provider()).isEqualTo("ext-authz");
		assertThat(denied.explain()).startsWith("denied: extension provider 'ext-authz' failed (no answer within the "
				+ "timeout of 500 ms), statusOnError 503, after CUSTOM policy foo/ext rule 0");
		ExtensionAuthorizer open = authorizer("ext-authz",
				(request) -> ExtensionDecision.failed(true, 503, "cannot connect"));
		Decision allowed = new PolicyCompiler(Policies.HTTPBIN, MeshSettings.DEFAULTS, Map.of("ext-authz", open))
			.compile(List.of(custom("ext", "ext-authz", Rule.ANY)))
			.authorization()
			.checkCustom(get("/"));
		assertThat(allowed).isAllowed().hasReason(Decision.Reason.CUSTOM_FAILED_OPEN);
		assertThat(allowed.explain())
			.startsWith("allowed: extension provider 'ext-authz' failed (cannot connect) and " + "fails open");
	}

	@Test
	void anAllowingAnswerCarriesTheChangesItAsksFor() {
		ExtensionAuthorizer authorizer = authorizer("ext-authz", (request) -> ExtensionDecision
			.allow(Map.of("x-user", "alice"), java.util.Set.of("x-drop"), Map.of("x-note", "hi")));
		Decision allowed = new PolicyCompiler(Policies.HTTPBIN, MeshSettings.DEFAULTS, Map.of("ext-authz", authorizer))
			.compile(List.of(custom("ext", "ext-authz", Rule.ANY)))
			.authorization()
			.checkCustom(get("/"));
		assertThat(allowed).isAllowed().hasReason(Decision.Reason.CUSTOM_ALLOWED);
		ExtensionDecision answer = allowed.extension();
		assertThat(answer).isNotNull();
		assertThat(answer.upstreamHeaders()).containsEntry("x-user", "alice");
		assertThat(answer.removedUpstreamHeaders()).containsExactly("x-drop");
		assertThat(answer.responseHeaders()).containsEntry("x-note", "hi");
		assertThat(answer.changesExchange()).isTrue();
		assertThat(ExtensionDecision.allow().changesExchange()).isFalse();
	}

	@Test
	void customPoliciesNamingSeveralProvidersActAsDeny() {
		ExtensionAuthorizer allowAll = authorizer("a", (request) -> ExtensionDecision.allow());
		CompiledPolicies snapshot = new PolicyCompiler(Policies.HTTPBIN, MeshSettings.DEFAULTS,
				Map.of("a", allowAll, "b", allowAll))
			.compile(List.of(custom("ext-a", "a", to(op().paths("/a").build())),
					custom("ext-b", "b", to(op().paths("/b").build()))));
		assertThat(snapshot.authorization().checkCustom(get("/a"))).isDenied()
			.hasReason(Decision.Reason.CUSTOM_MULTIPLE_PROVIDERS);
		assertThat(snapshot.authorization().checkCustom(get("/c"))).isAllowed();
	}

	@Test
	void reportedRuleFollowsEnvoysOrderOfPolicyIds() {
		CompiledPolicies snapshot = compile(deny("b-policy", Rule.ANY), deny("a-policy", Rule.ANY));
		assertThat(snapshot.authorization().authorize(get("/"))).isDeniedBy("foo/a-policy", 0);
	}

	@Test
	void explanationNamesPolicyRuleAndOrigin() {
		CompiledPolicies snapshot = compile(allow("only-a", to(op().paths("/a").build())));
		assertThat(snapshot.authorization().authorize(get("/b")).explain())
			.isEqualTo("denied: 1 ALLOW policy applies to this workload and no rule of them matched");
		assertThat(snapshot.authorization().authorize(get("/a")).explain())
			.isEqualTo("allowed: matched ALLOW policy foo/only-a rule 0 (test:only-a:1)");
	}

	@Test
	void commonDecisionsAreBuiltAheadOfTime() {
		CompiledPolicies snapshot = compile(allow("only-a", to(op().paths("/a").build())));
		assertThat(snapshot.authorization().authorize(get("/a")))
			.isSameAs(snapshot.authorization().authorize(get("/a")));
		assertThat(snapshot.authorization().authorize(get("/b")))
			.isSameAs(snapshot.authorization().authorize(get("/c")));
	}

	private static ExtensionAuthorizer authorizer(String name,
			java.util.function.Function<RequestAttributes, ExtensionDecision> check) {
		return new ExtensionAuthorizer() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public ExtensionDecision check(RequestAttributes request) {
				return check.apply(request);
			}

		};
	}

}
