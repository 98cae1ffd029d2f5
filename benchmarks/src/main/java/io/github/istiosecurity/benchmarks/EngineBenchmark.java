package io.github.istiosecurity.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.AuthorizationRules;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.Condition;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.ObjectMeta;
import io.github.istiosecurity.model.Operation;
import io.github.istiosecurity.model.PolicyOrigin;
import io.github.istiosecurity.model.Rule;
import io.github.istiosecurity.model.Source;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One authorization decision against 1, 100 and 1,000 compiled policies that all apply to
 * the workload. Every policy is an ALLOW with three realistic rules (paths + methods +
 * request principal; a header condition with a path prefix; an IP block with a method),
 * and every tenth policy adds a DENY on an internal path with a claim condition. Cases:
 * <ul>
 * <li>{@code allowedByLastPolicy}: the only matching rule is in the last policy, so every
 * DENY rule and every earlier ALLOW rule is evaluated first (the worst case for an
 * allowed request);</li>
 * <li>{@code deniedByDefault}: nothing matches, every rule is evaluated;</li>
 * <li>{@code deniedByDenyRule}: the first DENY rule matches.</li>
 * </ul>
 * Run with {@code -prof gc} to see {@code gc.alloc.rate.norm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({ Mode.AverageTime, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {

	private static final String ISSUER = "https://idp.example.com";

	@Param({ "1", "100", "1000" })
	public int policies;

	protected AuthorizationRules snapshot;

	protected BenchmarkRequest allowedByLast;

	protected BenchmarkRequest deniedByDefault;

	protected BenchmarkRequest deniedByDeny;

	@Setup(Level.Trial)
	public void compile() {
		List<IstioPolicy> all = new ArrayList<>();
		for (int i = 0; i < this.policies; i++) {
			all.add(allowPolicy(i));
			if (i % 10 == 0) {
				all.add(denyPolicy(i));
			}
		}
		this.snapshot = new PolicyCompiler(new Workload("foo", Map.of("app", "httpbin")), MeshSettings.DEFAULTS,
				Map.of())
			.compile(all)
			.authorization();
		int last = this.policies - 1;
		Map<String, Object> claims = Map.of("iss", ISSUER, "sub", "user" + last, "groups", List.of("dev", "ops"), "aud",
				List.of("api"), "scope", List.of("read", "write"));
		Map<String, String> headers = Map.of("x-tenant", "nobody", "user-agent", "curl/8.5.0", "accept", "*/*");
		this.allowedByLast = new BenchmarkRequest("GET", "/api/svc" + last + "/orders/42", headers, claims);
		this.deniedByDefault = new BenchmarkRequest("GET", "/unknown/path", headers, claims);
		this.deniedByDeny = new BenchmarkRequest("GET", "/internal/0/debug", headers,
				Map.of("iss", ISSUER, "sub", "x", "groups", List.of("guest")));
		check(this.snapshot.authorize(this.allowedByLast), true);
		check(this.snapshot.authorize(this.deniedByDefault), false);
		check(this.snapshot.authorize(this.deniedByDeny), false);
	}

	private static void check(Decision decision, boolean allowed) {
		if (decision.allowed() != allowed) {
			throw new IllegalStateException("benchmark setup is wrong: " + decision.explain());
		}
	}

	private static AuthorizationPolicy allowPolicy(int i) {
		Rule api = new Rule(List.of(Source.builder().requestPrincipals(ISSUER + "/user" + i).build()),
				List.of(Operation.builder().paths("/api/svc" + i + "/*").methods("GET", "POST").build()), List.of());
		Rule tenantAdmin = new Rule(List.of(), List.of(Operation.builder().paths("/admin/svc" + i + "*").build()),
				List.of(new Condition("request.headers[x-tenant]", List.of("tenant-" + i), List.of())));
		Rule network = new Rule(List.of(Source.builder().ipBlocks("192.168." + (i % 256) + ".0/24").build()),
				List.of(Operation.builder().methods("DELETE").build()), List.of());
		return policy("allow-" + i, Action.ALLOW, List.of(api, tenantAdmin, network));
	}

	private static AuthorizationPolicy denyPolicy(int i) {
		Rule internal = new Rule(List.of(), List.of(Operation.builder().paths("/internal/" + i + "/*").build()),
				List.of(new Condition("request.auth.claims[groups]", List.of(), List.of("admin"))));
		return policy("deny-" + i, Action.DENY, List.of(internal));
	}

	private static AuthorizationPolicy policy(String name, Action action, List<Rule> rules) {
		return new AuthorizationPolicy("security.istio.io/v1", ObjectMeta.of(name, "foo"),
				new PolicyOrigin("benchmark", 0), null, List.of(), action, null, rules);
	}

	@Benchmark
	public Decision allowedByLastPolicy() {
		return this.snapshot.authorize(this.allowedByLast);
	}

	@Benchmark
	public Decision deniedByDefault() {
		return this.snapshot.authorize(this.deniedByDefault);
	}

	@Benchmark
	public Decision deniedByDenyRule() {
		return this.snapshot.authorize(this.deniedByDeny);
	}

}
