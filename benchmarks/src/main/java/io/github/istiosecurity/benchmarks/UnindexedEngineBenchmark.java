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
 * The worst case for the engine: rules that constrain neither path nor method (a request
 * principal, or a header condition), so no index helps and every rule is tested. This
 * shows the linear slope per applicable rule that {@link EngineBenchmark}'s realistic
 * policies avoid.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UnindexedEngineBenchmark {

	private static final String ISSUER = "https://idp.example.com";

	@Param({ "1", "100", "1000" })
	public int policies;

	private AuthorizationRules snapshot;

	private BenchmarkRequest allowedByLast;

	@Setup(Level.Trial)
	public void compile() {
		List<IstioPolicy> all = new ArrayList<>();
		for (int i = 0; i < this.policies; i++) {
			Rule principal = new Rule(List.of(Source.builder().requestPrincipals(ISSUER + "/user" + i).build()),
					List.of(), List.of());
			Rule tenant = new Rule(List.of(), List.of(),
					List.of(new Condition("request.headers[x-tenant]", List.of("tenant-" + i), List.of())));
			all.add(new AuthorizationPolicy("security.istio.io/v1", ObjectMeta.of("allow-" + i, "foo"),
					new PolicyOrigin("benchmark", 0), null, List.of(), Action.ALLOW, null, List.of(tenant, principal)));
		}
		this.snapshot = new PolicyCompiler(new Workload("foo", Map.of("app", "httpbin")), MeshSettings.DEFAULTS,
				Map.of())
			.compile(all)
			.authorization();
		this.allowedByLast = new BenchmarkRequest("GET", "/api/orders/42", Map.of("x-tenant", "nobody"),
				Map.of("iss", ISSUER, "sub", "user" + (this.policies - 1)));
		if (!this.snapshot.authorize(this.allowedByLast).allowed()) {
			throw new IllegalStateException("benchmark setup is wrong");
		}
	}

	@Benchmark
	public Decision allowedByLastPolicy() {
		return this.snapshot.authorize(this.allowedByLast);
	}

}
