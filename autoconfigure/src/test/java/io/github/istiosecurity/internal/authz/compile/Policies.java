package io.github.istiosecurity.internal.authz.compile;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.Condition;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.MtlsMode;
import io.github.istiosecurity.model.ObjectMeta;
import io.github.istiosecurity.model.Operation;
import io.github.istiosecurity.model.PeerAuthentication;
import io.github.istiosecurity.model.PolicyOrigin;
import io.github.istiosecurity.model.PolicyTargetReference;
import io.github.istiosecurity.model.Rule;
import io.github.istiosecurity.model.Source;
import io.github.istiosecurity.model.WorkloadSelector;
import org.jspecify.annotations.Nullable;

/**
 * Policies built in code for engine tests (no YAML), with the spec's common setup (§7):
 * workload in namespace {@code foo} labelled {@code app: httpbin}, root namespace
 * {@code istio-system}.
 */
final class Policies {

	static final Workload HTTPBIN = new Workload("foo", Map.of("app", "httpbin"));

	private Policies() {
	}

	static CompiledPolicies compile(IstioPolicy... policies) {
		return new PolicyCompiler(HTTPBIN, MeshSettings.DEFAULTS, Map.of()).compile(List.of(policies));
	}

	static AuthorizationPolicy allow(String name, Rule... rules) {
		return policy("foo", name, Action.ALLOW, rules);
	}

	static AuthorizationPolicy deny(String name, Rule... rules) {
		return policy("foo", name, Action.DENY, rules);
	}

	static AuthorizationPolicy policy(String namespace, String name, Action action, Rule... rules) {
		return new AuthorizationPolicy("security.istio.io/v1", ObjectMeta.of(name, namespace), origin(name), null,
				List.of(), action, null, List.of(rules));
	}

	static AuthorizationPolicy custom(String name, String provider, Rule... rules) {
		return new AuthorizationPolicy("security.istio.io/v1", ObjectMeta.of(name, "foo"), origin(name), null,
				List.of(), Action.CUSTOM, provider, List.of(rules));
	}

	static AuthorizationPolicy dryRun(AuthorizationPolicy policy) {
		ObjectMeta meta = policy.metadata();
		return new AuthorizationPolicy(policy.apiVersion(),
				new ObjectMeta(meta.name(), meta.namespace(), Map.of(ObjectMeta.DRY_RUN_ANNOTATION, "true"), Map.of(),
						null),
				policy.origin(), policy.selector(), policy.targetRefs(), policy.action(), policy.provider(),
				policy.rules());
	}

	static AuthorizationPolicy selecting(AuthorizationPolicy policy, Map<String, String> labels) {
		return new AuthorizationPolicy(policy.apiVersion(), policy.metadata(), policy.origin(),
				new WorkloadSelector(labels), policy.targetRefs(), policy.action(), policy.provider(), policy.rules());
	}

	static AuthorizationPolicy targeting(AuthorizationPolicy policy) {
		return new AuthorizationPolicy(policy.apiVersion(), policy.metadata(), policy.origin(), null,
				List.of(new PolicyTargetReference("gateway.networking.k8s.io", "Gateway", "gw", "")), policy.action(),
				policy.provider(), policy.rules());
	}

	static PeerAuthentication peer(String namespace, String name, @Nullable Map<String, String> selector, MtlsMode mode,
			Map<Integer, MtlsMode> ports, @Nullable Instant created) {
		return new PeerAuthentication("security.istio.io/v1",
				new ObjectMeta(name, namespace, Map.of(), Map.of(), created), origin(name),
				(selector != null) ? new WorkloadSelector(selector) : null, mode, ports);
	}

	static Rule to(Operation... operations) {
		return new Rule(List.of(), List.of(operations), List.of());
	}

	static Rule from(Source... sources) {
		return new Rule(List.of(sources), List.of(), List.of());
	}

	static Rule when(Condition... conditions) {
		return new Rule(List.of(), List.of(), List.of(conditions));
	}

	static Rule rule(List<Source> from, List<Operation> to, List<Condition> when) {
		return new Rule(from, to, when);
	}

	static Operation.Builder op() {
		return Operation.builder();
	}

	static Source.Builder src() {
		return Source.builder();
	}

	static Condition values(String key, String... values) {
		return new Condition(key, List.of(values), List.of());
	}

	static Condition notValues(String key, String... notValues) {
		return new Condition(key, List.of(), List.of(notValues));
	}

	private static PolicyOrigin origin(String name) {
		return new PolicyOrigin("test:" + name, 1);
	}

}
