package io.github.istiosecurity.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.AuthorizationRules;
import io.github.istiosecurity.internal.extauthz.GrpcExtAuthzAuthorizer;
import io.github.istiosecurity.internal.extauthz.HttpExtAuthzAuthorizer;
import io.github.istiosecurity.internal.extauthz.ProviderSettings;
import io.github.istiosecurity.internal.extauthz.RemoteAuthorizer;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.ObjectMeta;
import io.github.istiosecurity.model.Operation;
import io.github.istiosecurity.model.PolicyOrigin;
import io.github.istiosecurity.model.Rule;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Step 2 of a request (CUSTOM, §3.18) against the same policies with and without an
 * external authorizer: a CUSTOM policy sends {@code /admin/*} to the provider
 * {@code authz}, beside an ALLOW policy. The authorizers answer "allow" at once from
 * loopback, in this JVM (a JDK HTTP server speaking Envoy's HTTP ext_authz protocol, a
 * grpc-java {@code Authorization} server), so a call measures the provider's client, the
 * round trip and the authorizer's own handling, as with an authorizer beside the
 * application in its pod. Cases:
 * <ul>
 * <li>{@code httpProviderAsked}, {@code grpcProviderAsked}: a request the CUSTOM rule
 * matches;</li>
 * <li>{@code noCustomRuleMatches}: a request the CUSTOM rule does not match, with the
 * CUSTOM policy in force;</li>
 * <li>{@code noCustomPolicy}: the same request with no CUSTOM policy at all, the
 * baseline.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CustomCheckBenchmark {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private HttpServer httpAuthorizer;

	private Server grpcAuthorizer;

	private RemoteAuthorizer http;

	private RemoteAuthorizer grpc;

	private AuthorizationRules withHttp;

	private AuthorizationRules withGrpc;

	private AuthorizationRules withoutCustom;

	private final BenchmarkRequest admin = new BenchmarkRequest("GET", "/admin/users",
			Map.of("authorization", "Bearer x.y.z", "user-agent", "curl/8.5.0", "accept", "*/*"), Map.of());

	private final BenchmarkRequest other = new BenchmarkRequest("GET", "/api/orders/42",
			Map.of("authorization", "Bearer x.y.z", "user-agent", "curl/8.5.0", "accept", "*/*"), Map.of());

	@Setup(Level.Trial)
	public void start() throws IOException {
		this.httpAuthorizer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
		this.httpAuthorizer.createContext("/", (exchange) -> {
			exchange.getResponseHeaders().add("x-authz-user", "alice");
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.httpAuthorizer.setExecutor(this.executor);
		this.httpAuthorizer.start();
		this.grpcAuthorizer = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.addService(new AuthorizationGrpc.AuthorizationImplBase() {

				@Override
				public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
					responses.onNext(CheckResponse.newBuilder()
						.setStatus(com.google.rpc.Status.newBuilder().setCode(0))
						.build());
					responses.onCompleted();
				}

			})
			.executor(this.executor)
			.build()
			.start();
		this.http = new HttpExtAuthzAuthorizer(
				settings(ProviderSettings.Protocol.HTTP, this.httpAuthorizer.getAddress().getPort()), 64);
		this.grpc = new GrpcExtAuthzAuthorizer(settings(ProviderSettings.Protocol.GRPC, this.grpcAuthorizer.getPort()),
				64);
		this.http.start();
		this.grpc.start();
		this.withHttp = compile(List.of(custom(), allow()), this.http);
		this.withGrpc = compile(List.of(custom(), allow()), this.grpc);
		this.withoutCustom = compile(List.of(allow()), this.http);
		expect(this.withHttp.checkCustom(this.admin), Decision.Reason.CUSTOM_ALLOWED);
		expect(this.withGrpc.checkCustom(this.admin), Decision.Reason.CUSTOM_ALLOWED);
		expect(this.withHttp.checkCustom(this.other), Decision.Reason.CUSTOM_NOT_TRIGGERED);
		expect(this.withoutCustom.checkCustom(this.other), Decision.Reason.CUSTOM_NOT_TRIGGERED);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.http.close();
		this.grpc.close();
		this.httpAuthorizer.stop(0);
		this.grpcAuthorizer.shutdownNow();
		this.executor.shutdownNow();
	}

	@Benchmark
	public Decision httpProviderAsked() {
		return this.withHttp.checkCustom(this.admin);
	}

	@Benchmark
	public Decision grpcProviderAsked() {
		return this.withGrpc.checkCustom(this.admin);
	}

	@Benchmark
	public Decision noCustomRuleMatches() {
		return this.withHttp.checkCustom(this.other);
	}

	@Benchmark
	public Decision noCustomPolicy() {
		return this.withoutCustom.checkCustom(this.other);
	}

	private static ProviderSettings settings(ProviderSettings.Protocol protocol, int port) {
		return ProviderSettings.builder("benchmark")
			.name("authz")
			.protocol(protocol)
			.service("127.0.0.1")
			.port(port)
			.timeout("5s")
			.upstreamOnAllow(List.of("x-authz-*"))
			.build();
	}

	private static AuthorizationRules compile(List<IstioPolicy> policies, ExtensionAuthorizer authorizer) {
		return new PolicyCompiler(new Workload("foo", Map.of("app", "httpbin")), MeshSettings.DEFAULTS,
				Map.of("authz", authorizer))
			.compile(policies)
			.authorization();
	}

	private static AuthorizationPolicy custom() {
		return new AuthorizationPolicy("security.istio.io/v1", ObjectMeta.of("ext-authz", "foo"),
				new PolicyOrigin("benchmark", 0), null, List.of(), Action.CUSTOM, "authz",
				List.of(new Rule(List.of(), List.of(Operation.builder().paths("/admin/*").build()), List.of())));
	}

	private static AuthorizationPolicy allow() {
		return new AuthorizationPolicy("security.istio.io/v1", ObjectMeta.of("allow", "foo"),
				new PolicyOrigin("benchmark", 0), null, List.of(), Action.ALLOW, null, List.of(new Rule(List.of(),
						List.of(Operation.builder().paths("/api/*", "/admin/*").build()), List.of())));
	}

	private static void expect(Decision decision, Decision.Reason reason) {
		if (decision.reason() != reason) {
			throw new IllegalStateException("benchmark setup is wrong: " + decision.explain());
		}
	}

}
