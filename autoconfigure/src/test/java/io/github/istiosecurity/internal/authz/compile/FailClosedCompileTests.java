package io.github.istiosecurity.internal.authz.compile;

import java.time.Instant;
import java.util.Map;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.model.MtlsMode;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.authz.compile.Policies.allow;
import static io.github.istiosecurity.internal.authz.compile.Policies.compile;
import static io.github.istiosecurity.internal.authz.compile.Policies.deny;
import static io.github.istiosecurity.internal.authz.compile.Policies.from;
import static io.github.istiosecurity.internal.authz.compile.Policies.op;
import static io.github.istiosecurity.internal.authz.compile.Policies.peer;
import static io.github.istiosecurity.internal.authz.compile.Policies.src;
import static io.github.istiosecurity.internal.authz.compile.Policies.to;
import static io.github.istiosecurity.internal.authz.engine.DecisionAssert.assertThat;
import static io.github.istiosecurity.internal.authz.engine.TestRequest.get;
import static io.github.istiosecurity.internal.authz.engine.TestRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values that cannot be used narrow ALLOW and widen DENY (§3.15), and PeerAuthentication
 * levels resolve as in §4.3.
 */
class FailClosedCompileTests {

	@Test
	void anAllowRuleWithAnUnusableValueIsDroppedSoThePolicyAllowsLess() {
		CompiledPolicies snapshot = compile(allow("bad-ip", from(src().ipBlocks("10.0.0.0/33").build())));
		assertThat(snapshot.authorization().authorize(get("/").sourceIp("10.0.0.1"))).isDeniedByDefault();
	}

	@Test
	void aDenyRuleWithAnUnusableValueLosesTheValueSoItDeniesMore() {
		CompiledPolicies snapshot = compile(deny("bad-port", to(op().methods("POST").ports("http").build())));
		assertThat(snapshot.authorization().authorize(request("POST", "/").port(9999))).isDeniedBy("foo/bad-port", 0);
		assertThat(snapshot.authorization().authorize(get("/"))).isAllowed();
	}

	@Test
	void noPeerAuthenticationMeansPermissive() {
		assertThat(compile().peerAuthentication().mode(8000)).isEqualTo(MtlsMode.PERMISSIVE);
	}

	@Test
	void portLevelOverrideAndInheritance() {
		// Ex 38
		CompiledPolicies snapshot = compile(peer("istio-system", "default", null, MtlsMode.STRICT, Map.of(), null),
				peer("foo", "httpbin", Map.of("app", "httpbin"), MtlsMode.UNSET, Map.of(8080, MtlsMode.DISABLE), null));
		assertThat(snapshot.peerAuthentication().mode(8000)).isEqualTo(MtlsMode.STRICT);
		assertThat(snapshot.peerAuthentication().mode(8080)).isEqualTo(MtlsMode.DISABLE);
	}

	@Test
	void narrowestLevelWinsAndUnsetInherits() {
		CompiledPolicies snapshot = compile(peer("istio-system", "mesh", null, MtlsMode.STRICT, Map.of(), null),
				peer("foo", "ns", null, MtlsMode.DISABLE, Map.of(), null),
				peer("foo", "wl", Map.of("app", "httpbin"), MtlsMode.UNSET, Map.of(9090, MtlsMode.UNSET), null));
		assertThat(snapshot.peerAuthentication().mode(8000)).isEqualTo(MtlsMode.DISABLE);
		assertThat(snapshot.peerAuthentication().mode(9090)).isEqualTo(MtlsMode.DISABLE);
	}

	@Test
	void oldestPolicyOfALevelWins() {
		CompiledPolicies snapshot = compile(
				peer("foo", "newer", null, MtlsMode.DISABLE, Map.of(), Instant.parse("2025-02-01T00:00:00Z")),
				peer("foo", "older", null, MtlsMode.STRICT, Map.of(), Instant.parse("2025-01-01T00:00:00Z")));
		assertThat(snapshot.peerAuthentication().mode(8000)).isEqualTo(MtlsMode.STRICT);
	}

	@Test
	void rootNamespacePeerAuthenticationWithSelectorIsIgnored() {
		CompiledPolicies snapshot = compile(
				peer("istio-system", "selected", Map.of("app", "httpbin"), MtlsMode.STRICT, Map.of(), null));
		assertThat(snapshot.peerAuthentication().mode(8000)).isEqualTo(MtlsMode.PERMISSIVE);
		assertThat(snapshot.ignoredPolicies()).hasSize(1);
	}

}
