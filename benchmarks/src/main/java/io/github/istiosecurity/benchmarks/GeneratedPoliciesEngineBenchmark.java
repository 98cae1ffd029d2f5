package io.github.istiosecurity.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.AuthorizationRules;
import io.github.istiosecurity.internal.load.LoaderSettings;
import io.github.istiosecurity.internal.load.LoadResult;
import io.github.istiosecurity.internal.load.PolicyLoader;
import io.github.istiosecurity.model.IstioPolicy;
import org.jspecify.annotations.Nullable;
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
 * The decision of the load scripts' request in the engine alone: sample-httpbin's
 * {@code require-jwt} policy plus N policies of {@link GeneratePolicies} (every field
 * kind: exact, prefix, suffix and template paths, methods, hosts with and without a port,
 * ports, request principals, claims, headers, IP blocks, notX, DENY policies), parsed
 * from their YAML by the starter's loader. The request is {@code httpbin-load.sh}'s:
 * user1's {@code GET /get} from {@code 127.0.0.1} to {@code 127.0.0.1:8000}, which no
 * generated rule matches and {@code require-jwt} allows. {@code deniedByDefault} is the
 * same request with {@code POST}. Run with {@code -prof gc} to see
 * {@code gc.alloc.rate.norm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({ Mode.AverageTime, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GeneratedPoliciesEngineBenchmark {

	private static final String REQUIRE_JWT = """
			apiVersion: security.istio.io/v1
			kind: AuthorizationPolicy
			metadata:
			  name: require-jwt
			  namespace: foo
			spec:
			  selector:
			    matchLabels:
			      app: httpbin
			  action: ALLOW
			  rules:
			  - from:
			    - source:
			        requestPrincipals: ["testing@secure.istio.io/user1"]
			    to:
			    - operation:
			        methods: ["GET"]
			  - from:
			    - source:
			        requestPrincipals: ["testing@secure.istio.io/user2"]
			    to:
			    - operation:
			        paths: ["/status/*"]
			""";

	@Param({ "0", "100", "1000" })
	public int policies;

	private AuthorizationRules snapshot;

	private final LoadRequest get = new LoadRequest("GET");

	private final LoadRequest post = new LoadRequest("POST");

	@Setup(Level.Trial)
	public void compile() {
		PolicyLoader loader = new PolicyLoader(LoaderSettings.defaults());
		List<IstioPolicy> all = new ArrayList<>(loader.parse("require-jwt.yaml", REQUIRE_JWT).policies());
		for (int i = 0; i < this.policies; i++) {
			String name = String.format("gen-%05d", i);
			LoadResult result = loader.parse(name + ".yaml", GeneratePolicies.policy(name, i));
			if (result.policies().size() != 1 || !result.warnings().isEmpty()) {
				throw new IllegalStateException(name + " did not load cleanly: " + result.warnings());
			}
			all.addAll(result.policies());
		}
		this.snapshot = new PolicyCompiler(new Workload("foo", Map.of("app", "httpbin")), MeshSettings.DEFAULTS,
				Map.of())
			.compile(all)
			.authorization();
		check(this.snapshot.authorize(this.get), Decision.Reason.ALLOWED_BY_RULE);
		check(this.snapshot.authorize(this.post), Decision.Reason.NO_ALLOW_RULE_MATCHED);
	}

	private static void check(Decision decision, Decision.Reason expected) {
		if (decision.reason() != expected) {
			throw new IllegalStateException("expected " + expected + " but was " + decision);
		}
	}

	@Benchmark
	public Decision allowedLoadRequest() {
		return this.snapshot.authorize(this.get);
	}

	@Benchmark
	public Decision deniedByDefault() {
		return this.snapshot.authorize(this.post);
	}

	/** The load scripts' request, its attributes computed up front. */
	private static final class LoadRequest implements RequestAttributes {

		private static final IpAddress LOOPBACK = IpAddress.parseRequestAddress("127.0.0.1");

		private final String method;

		private final Map<String, Object> claims = Map.of("iss", "testing@secure.istio.io", "sub", "user1", "exp",
				4685989700L);

		LoadRequest(String method) {
			this.method = method;
		}

		@Override
		public String method() {
			return this.method;
		}

		@Override
		public String host() {
			return "127.0.0.1:8000";
		}

		@Override
		public String path() {
			return "/get";
		}

		@Override
		public @Nullable String header(String lowerCaseName) {
			return null;
		}

		@Override
		public int destinationPort() {
			return 8000;
		}

		@Override
		public IpAddress destinationIp() {
			return LOOPBACK;
		}

		@Override
		public IpAddress sourceIp() {
			return LOOPBACK;
		}

		@Override
		public IpAddress remoteIp() {
			return LOOPBACK;
		}

		@Override
		public Map<String, Object> jwtClaims() {
			return this.claims;
		}

	}

}
