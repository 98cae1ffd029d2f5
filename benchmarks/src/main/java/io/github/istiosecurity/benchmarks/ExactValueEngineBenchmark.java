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
 * Rules that constrain neither path nor method, only an exact request principal, header
 * or claim value: the engine's former worst case, where every rule was tested, now found
 * by value. Shapes, each with N policies:
 * <ul>
 * <li>{@code principals}: one ALLOW policy per request principal;</li>
 * <li>{@code headers}: one ALLOW policy per {@code x-tenant} value;</li>
 * <li>{@code claims}: one ALLOW policy per {@code groups} value (the token's
 * {@code groups} is a list);</li>
 * <li>{@code principalsAndHeaders}: one ALLOW policy with a header rule and a principal
 * rule each (this benchmark's original shape);</li>
 * <li>{@code onePolicyManyPrincipals}: ONE ALLOW policy listing N request principals,
 * Istio's own JWT performance test at N = 1,000.</li>
 * </ul>
 * {@code allowedByLast} is allowed only by the last policy (or principal);
 * {@code deniedByDefault} is a request with a token and headers that nothing allows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExactValueEngineBenchmark {

	private static final String ISSUER = "https://idp.example.com";

	@Param({ "principals", "headers", "claims", "principalsAndHeaders", "onePolicyManyPrincipals" })
	public String shape;

	@Param({ "1", "100", "1000" })
	public int policies;

	private AuthorizationRules snapshot;

	private BenchmarkRequest allowedByLast;

	private BenchmarkRequest deniedByDefault;

	@Setup(Level.Trial)
	public void compile() {
		List<IstioPolicy> all = new ArrayList<>();
		if (this.shape.equals("onePolicyManyPrincipals")) {
			String[] principals = new String[this.policies];
			for (int i = 0; i < this.policies; i++) {
				principals[i] = ISSUER + "/user" + i;
			}
			all.add(allow(0,
					new Rule(List.of(Source.builder().requestPrincipals(principals).build()), List.of(), List.of())));
		}
		else {
			for (int i = 0; i < this.policies; i++) {
				all.add(allow(i, rules(i)));
			}
		}
		this.snapshot = new PolicyCompiler(new Workload("foo", Map.of("app", "httpbin")), MeshSettings.DEFAULTS,
				Map.of())
			.compile(all)
			.authorization();
		int last = this.policies - 1;
		this.allowedByLast = switch (this.shape) {
			case "headers" -> request("tenant-" + last, "nobody", "nobody");
			case "claims" -> request("nobody", "nobody", "group-" + last);
			default -> request("nobody", "user" + last, "nobody");
		};
		this.deniedByDefault = request("nobody", "nobody", "nobody");
		if (!this.snapshot.authorize(this.allowedByLast).allowed()
				|| this.snapshot.authorize(this.deniedByDefault).allowed()) {
			throw new IllegalStateException("benchmark setup is wrong");
		}
	}

	private Rule[] rules(int i) {
		Rule principal = new Rule(List.of(Source.builder().requestPrincipals(ISSUER + "/user" + i).build()), List.of(),
				List.of());
		Rule tenant = new Rule(List.of(), List.of(),
				List.of(new Condition("request.headers[x-tenant]", List.of("tenant-" + i), List.of())));
		Rule group = new Rule(List.of(), List.of(),
				List.of(new Condition("request.auth.claims[groups]", List.of("group-" + i), List.of())));
		return switch (this.shape) {
			case "principals" -> new Rule[] { principal };
			case "headers" -> new Rule[] { tenant };
			case "claims" -> new Rule[] { group };
			case "principalsAndHeaders" -> new Rule[] { tenant, principal };
			default -> throw new IllegalArgumentException(this.shape);
		};
	}

	private static AuthorizationPolicy allow(int i, Rule... rules) {
		return new AuthorizationPolicy("security.istio.io/v1", ObjectMeta.of("allow-" + i, "foo"),
				new PolicyOrigin("benchmark", 0), null, List.of(), Action.ALLOW, null, List.of(rules));
	}

	private static BenchmarkRequest request(String tenant, String subject, String group) {
		return new BenchmarkRequest("GET", "/api/orders/42", Map.of("x-tenant", tenant),
				Map.of("iss", ISSUER, "sub", subject, "groups", List.of("staff", group)));
	}

	@Benchmark
	public Decision allowedByLast() {
		return this.snapshot.authorize(this.allowedByLast);
	}

	@Benchmark
	public Decision deniedByDefault() {
		return this.snapshot.authorize(this.deniedByDefault);
	}

}
