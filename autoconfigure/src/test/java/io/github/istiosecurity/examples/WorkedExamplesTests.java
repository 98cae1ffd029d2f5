package io.github.istiosecurity.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.authz.engine.TestRequest;
import io.github.istiosecurity.internal.load.LoaderSettings;
import io.github.istiosecurity.internal.load.PolicyLoadException;
import io.github.istiosecurity.internal.load.PolicyLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The worked examples of docs/semantics.md §7, from YAML text to decision: loaded and
 * validated, compiled for the workload of §7 (namespace {@code foo}, labels
 * {@code app: httpbin}, port 8000), the raw path normalized, then decided. Examples that
 * need a real token (§7.4) are the JWT layer's; here a verified token is given as its
 * claims (§7.5).
 */
class WorkedExamplesTests {

	private static final Workload WORKLOAD = new Workload("foo", Map.of("app", "httpbin"));

	private static final String ALLOW_ALL = policy("allow-all", "spec:\n  rules:\n  - {}\n");

	@ParameterizedTest(name = "{0}: {2} -> {3}")
	@MethodSource("examples")
	void decidesAsIstio(String example, String yaml, TestRequest request, String expected, PathNormalization mode) {
		CompiledPolicies snapshot = compile(yaml);
		String path = new PathNormalizer(mode).normalize(request.path());
		assertThat(path).as("normalized path").isNotNull();
		Decision decision = snapshot.authorization()
			.authorize(TestRequest.request(request.method(), path).copyFrom(request));
		assertThat(decision.allowed() ? "200" : decision.status() + " " + decision.body())
			.as("%s: %s", example, decision.explain())
			.isEqualTo(expected.equals("200") ? "200" : "403 RBAC: access denied");
	}

	@ParameterizedTest(name = "{0} is rejected: {2}")
	@MethodSource("rejected")
	void rejectsWhatIstioRejects(String example, String yaml, String message) {
		assertThatExceptionOfType(PolicyLoadException.class).as(example)
			.isThrownBy(() -> compile(yaml))
			.withMessageContaining(message);
	}

	static Stream<Arguments> examples() {
		Examples all = new Examples();
		all.add("Ex 1 no policy", "", get("/anything"), "200");
		String allowNothing = policy("allow-nothing", "spec: {}\n");
		all.add("Ex 2 allow-nothing", allowNothing, get("/"), "403");
		all.add("Ex 3 allow-all", ALLOW_ALL, TestRequest.request("DELETE", "/admin"), "200");
		String denyAll = policy("deny-all", "spec:\n  action: DENY\n  rules:\n  - {}\n");
		all.add("Ex 4 deny-all beats allow-all", ALLOW_ALL + "---\n" + denyAll, get("/"), "403");
		String ab = policy("a", ops("paths: [\"/a\"]")) + "---\n" + policy("b",
				"spec:\n  selector:\n    matchLabels: {app: httpbin}\n  rules:\n  - to:\n    - operation:\n        paths: [\"/b\"]\n");
		all.add("Ex 6 ALLOW policies are ORed", ab, get("/b"), "200");
		all.add("Ex 6 ALLOW policies are ORed", ab, get("/c"), "403");
		String meshDeny = """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: mesh-deny-delete, namespace: istio-system}
				spec:
				  action: DENY
				  rules:
				  - to: [{operation: {methods: ["DELETE"]}}]
				---
				""" + ALLOW_ALL;
		all.add("Ex 7 mesh DENY + namespace ALLOW", meshDeny, TestRequest.request("DELETE", "/x"), "403");
		all.add("Ex 7 mesh DENY + namespace ALLOW", meshDeny, get("/x"), "200");
		all.add("Ex 8 root selector across namespaces", """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: mesh-httpbin, namespace: istio-system}
				spec:
				  selector: {matchLabels: {app: httpbin}}
				""", get("/"), "403");
		all.add("Ex 9 selector mismatch", policy("other", "spec:\n  selector: {matchLabels: {app: other}}\n"), get("/"),
				"200");
		all.add("Ex 10 targetRefs ignored",
				policy("gw", "spec:\n  targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]\n"),
				get("/"), "200");
		String twoRules = policy("two", "spec:\n  rules:\n  - to: [{operation: {paths: [\"/foo\"]}}]\n"
				+ "  - from: [{source: {namespaces: [\"foo\"]}}]\n");
		all.add("Ex 11 two rules", twoRules, get("/foo"), "200");
		all.add("Ex 11 two rules", twoRules, get("/other").mtlsPeer("bar", "x"), "403");
		all.add("Ex 11 two rules", twoRules, get("/other").mtlsPeer("foo", "x"), "200");
		// 7.2 paths, methods, hosts, ports
		all.add("Ex 12 query ignored", policy("p", ops("paths: [\"/public\"]")), get("/public?x=1"), "200");
		all.add("Ex 12 exact is exact", policy("p", ops("paths: [\"/public\"]")), get("/public/"), "403");
		all.add("Ex 13 prefix", policy("p", ops("paths: [\"/api*\"]")), get("/apikeys"), "200");
		all.add("Ex 13 prefix", policy("p", ops("paths: [\"/api/*\"]")), get("/api"), "403");
		all.add("Ex 13 prefix", policy("p", ops("paths: [\"/api/*\"]")), get("/api/"), "200");
		all.add("Ex 14 * in the middle is literal", policy("p", ops("paths: [\"/api/*/info\"]")), get("/api/v1/info"),
				"403");
		String oneSegment = policy("p", ops("paths: [\"/api/{*}/info\"]"));
		all.add("Ex 15 {*}", oneSegment, get("/api/v1/info"), "200");
		all.add("Ex 15 {*}", oneSegment, get("/api/v1/v2/info"), "403");
		all.add("Ex 15 {*}", oneSegment, get("/api//info"), "403");
		String anySegments = policy("p", ops("paths: [\"/allow/admin/{**}\"]"));
		all.add("Ex 16 {**}", anySegments, get("/allow/admin"), "403");
		all.add("Ex 16 {**}", anySegments, get("/allow/admin/"), "200");
		all.add("Ex 16 {**}", anySegments, get("/allow/admin/a/b.txt"), "200");
		String cart = policy("p", ops("paths: [\"/store/{**}/cart\"]"));
		all.add("Ex 17 {**} and empty segments", cart, get("/store//cart"), "200");
		all.add("Ex 17 {**} and empty segments", cart, get("/store//cart"), "403", PathNormalization.MERGE_SLASHES);
		all.add("Ex 17 {**} and empty segments", cart, get("/store/cart"), "403");
		String dots = policy("p", ops("paths: [\"/public*\"]\n        methods: [\"GET\"]"));
		all.add("Ex 18 dot segments", dots, get("/public/../private"), "403");
		all.add("Ex 18 dot segments", dots, get("/public/%2e%2e/private"), "403");
		all.add("Ex 18 dot segments", dots, get("/public/../public"), "200");
		String secret = deny("d", "paths: [\"/data/secret\"]");
		all.add("Ex 19 double slash", secret, get("/data//secret"), "200");
		all.add("Ex 19 double slash", secret, get("/data//secret"), "403", PathNormalization.MERGE_SLASHES);
		String ab2 = deny("d", "paths: [\"/a/b\"]");
		all.add("Ex 20 encoded slash", ab2, get("/a%2Fb"), "200");
		all.add("Ex 20 encoded slash", ab2, get("/a%2Fb"), "200", PathNormalization.MERGE_SLASHES);
		all.add("Ex 20 encoded slash", ab2, get("/a%2Fb"), "403", PathNormalization.DECODE_AND_MERGE_SLASHES);
		String backslash = deny("d", "paths: [\"/admin/x\"]");
		all.add("Ex 21 backslash", backslash, get("/admin\\x"), "403");
		all.add("Ex 21 backslash", backslash, get("/admin\\x"), "200", PathNormalization.NONE);
		all.add("Ex 22 no case folding", deny("d", "paths: [\"/admin*\"]"), get("/ADMIN"), "200");
		all.add("Ex 23 method case", policy("p", ops("methods: [\"get\"]")), get("/"), "403");
		all.add("Ex 24 HEAD is not GET", policy("p", ops("methods: [\"GET\"]")), TestRequest.request("HEAD", "/"),
				"403");
		String host = policy("p", ops("hosts: [\"example.com\"]"));
		all.add("Ex 25 hosts", host, get("/").host("EXAMPLE.COM"), "200");
		all.add("Ex 25 hosts", host, get("/").host("example.com:8000"), "403");
		String hostAndPort = policy("p", ops("hosts: [\"example.com\", \"example.com:*\"]"));
		all.add("Ex 25 hosts", hostAndPort, get("/").host("example.com:8000"), "200");
		String port = policy("p", ops("ports: [\"8000\"]"));
		all.add("Ex 26 local ports", port, get("/").port(8000), "200");
		all.add("Ex 26 local ports", port, get("/").port(9090), "403");
		String ops = policy("p",
				"spec:\n  rules:\n  - to:\n    - operation: {methods: [\"GET\"], paths: [\"/info*\"]}\n"
						+ "    - operation: {methods: [\"POST\"], paths: [\"/data\"]}\n");
		all.add("Ex 27 AND inside, OR across", ops, TestRequest.request("POST", "/info/x"), "403");
		all.add("Ex 27 AND inside, OR across", ops, TestRequest.request("POST", "/data"), "200");
		all.add("Ex 27 AND inside, OR across", ops, get("/info"), "200");
		// 7.3 peer identity
		String principal = policy("p", src("principals: [\"cluster.local/ns/sleep/sa/sleep\"]"));
		all.add("Ex 28 principal", principal, get("/").mtlsPeer("sleep", "sleep"), "200");
		all.add("Ex 28 principal", principal, get("/"), "403");
		all.add("Ex 28 principal", principal, get("/").mtlsPeer("sleep", "other"), "403");
		all.add("Ex 29 * in a principal is literal", policy("p", src("principals: [\"cluster.local/ns/*/sa/sleep\"]")),
				get("/").mtlsPeer("x", "sleep"), "403");
		String anyPeer = policy("p", src("principals: [\"*\"]"));
		all.add("Ex 30 any peer", anyPeer, get("/").mtlsPeer("a", "b"), "200");
		all.add("Ex 30 any peer", anyPeer, get("/"), "403");
		String glob = policy("p", src("namespaces: [\"prod-*-eu\"]"));
		all.add("Ex 31 namespace glob", glob, get("/").mtlsPeer("prod-web-eu", "app"), "200");
		all.add("Ex 31 namespace glob", glob, get("/").mtlsPeer("prod-web-us", "app"), "403");
		String sa = policy("p", src("serviceAccounts: [\"sleep\"]"));
		all.add("Ex 32 bare service account", sa, get("/").mtlsPeer("foo", "sleep"), "200");
		all.add("Ex 32 bare service account", sa, get("/").mtlsPeer("bar", "sleep"), "403");
		String notFoo = policy("d",
				"spec:\n  action: DENY\n  rules:\n  - from: [{source: {notNamespaces: [\"foo\"]}}]\n");
		all.add("Ex 34 DENY notNamespaces hits plaintext", notFoo, get("/"), "403");
		all.add("Ex 34 DENY notNamespaces hits plaintext", notFoo, get("/").mtlsPeer("foo", "x"), "200");
		all.add("Ex 35 ALLOW notPrincipals admits plaintext",
				policy("p", src("notPrincipals: [\"cluster.local/ns/evil/sa/x\"]")), get("/"), "200");
		// 7.5 JWT-based authorization (a verified token's claims)
		String anyToken = policy("p", src("requestPrincipals: [\"*\"]"));
		Map<String, Object> alice = Map.of("iss", "https://idp.example.com", "sub", "alice");
		all.add("Ex 56 require a token", anyToken, get("/"), "403");
		all.add("Ex 56 require a token", anyToken, get("/").claims(alice), "200");
		all.add("Ex 57 token without sub", anyToken, get("/").claims(Map.of("iss", "https://idp.example.com")), "403");
		String exact = policy("p", src("requestPrincipals: [\"https://idp.example.com/alice\"]"));
		all.add("Ex 58 exact principal", exact, get("/").claims(alice), "200");
		all.add("Ex 58 exact principal", exact, get("/").claims(Map.of("iss", "https://idp.example.com", "sub", "bob")),
				"403");
		all.add("Ex 59 subject containing /",
				policy("p", src("requestPrincipals: [\"https://idp.example.com/repo:org/app\"]")),
				get("/").claims(Map.of("iss", "https://idp.example.com", "sub", "repo:org/app")), "403");
		String health = """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: require-jwt, namespace: foo}
				spec:
				  action: DENY
				  rules:
				  - from: [{source: {notRequestPrincipals: ["*"]}}]
				    to: [{operation: {notPaths: ["/healthz"]}}]
				""";
		all.add("Ex 60 exclusion for a health path", health, get("/healthz"), "200");
		all.add("Ex 60 exclusion for a health path", health, get("/api"), "403");
		all.add("Ex 60 exclusion for a health path", health, get("/api").claims(alice), "200");
		all.add("Ex 61 negative principal admits anonymous",
				policy("p", src("notRequestPrincipals: [\"https://idp.example.com/mallory\"]")), get("/"), "200");
		String groups = policy("p", when("request.auth.claims[groups]", "values: [\"admin\"]"));
		all.add("Ex 62 list claim", groups, get("/").claims(Map.of("groups", List.of("dev", "admin"))), "200");
		all.add("Ex 62 list claim", groups, get("/").claims(Map.of("groups", "admin")), "200");
		all.add("Ex 62 list claim", groups, get("/").claims(alice), "403");
		String nested = policy("p", when("request.auth.claims[realm_access][roles]", "values: [\"admin\"]"));
		all.add("Ex 63 nested claim", nested,
				get("/").claims(Map.of("realm_access", Map.of("roles", List.of("user", "admin")))), "200");
		all.add("Ex 63 nested claim", nested, get("/").claims(Map.of("realm_access.roles", List.of("admin"))), "403");
		String scope = policy("p", when("request.auth.claims[scope]", "values: [\"write\"]"));
		all.add("Ex 64 scope is split", scope, get("/").claims(Map.of("scope", List.of("read", "write"))), "200");
		all.add("Ex 64 scope is split", policy("p", when("request.auth.claims[scope]", "values: [\"read write\"]")),
				get("/").claims(Map.of("scope", List.of("read", "write"))), "403");
		all.add("Ex 66 non-string claim", policy("p", when("request.auth.claims[level]", "values: [\"5\"]")),
				get("/").claims(Map.of("level", 5)), "403");
		all.add("Ex 67 audiences", policy("p", when("request.auth.audiences", "values: [\"api*\"]")),
				get("/").claims(Map.of("aud", List.of("web", "api-v2"))), "200");
		String presenter = policy("p", when("request.auth.presenter", "values: [\"mobile\"]"));
		all.add("Ex 67 presenter", presenter, get("/").claims(Map.of("azp", "mobile")), "200");
		all.add("Ex 67 presenter", presenter, get("/").claims(alice), "403");
		// 7.6 headers, IPs, conditions
		String env = policy("p", when("request.headers[X-Env]", "values: [\"prod*\"]"));
		all.add("Ex 69 header prefix", env, get("/").header("x-env", "production"), "200");
		all.add("Ex 69 header absent", env, get("/"), "403");
		String noEnv = policy("d",
				"spec:\n  action: DENY\n  rules:\n  - when: [{key: \"request.headers[X-Env]\", notValues: [\"*\"]}]\n");
		all.add("Ex 69 DENY notValues *", noEnv, get("/"), "403");
		all.add("Ex 69 DENY notValues *", noEnv, get("/").header("x-env", "dev"), "200");
		TestRequest tagged = get("/").header("x-tag", "a").header("x-tag", "b");
		all.add("Ex 70 duplicate headers", policy("p", when("request.headers[x-tag]", "values: [\"a\"]")), tagged,
				"403");
		all.add("Ex 70 duplicate headers", policy("p", when("request.headers[x-tag]", "values: [\"a*\"]")), tagged,
				"200");
		String user = policy("p", when("request.headers[x-user]", "values: [\"*\"]\n      notValues: [\"guest\"]"));
		all.add("Ex 71 values and notValues", user, get("/").header("x-user", "alice"), "200");
		all.add("Ex 71 values and notValues", user, get("/").header("x-user", "guest"), "403");
		all.add("Ex 71 values and notValues", user, get("/"), "403");
		TestRequest forwarded = get("/").sourceIp("10.0.0.5").remoteIp("203.0.113.7");
		all.add("Ex 72 remoteIpBlocks", policy("p", src("remoteIpBlocks: [\"203.0.113.0/24\"]")), forwarded, "200");
		all.add("Ex 72 ipBlocks", policy("p", src("ipBlocks: [\"203.0.113.0/24\"]")), forwarded, "403");
		String post8000 = """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: post-8000, namespace: foo}
				spec:
				  action: DENY
				  rules:
				  - to: [{operation: {methods: ["POST"]}}]
				    when: [{key: destination.port, values: ["8000"]}]
				""";
		all.add("Ex 73 destination.port", post8000, TestRequest.request("POST", "/").port(8000), "403");
		all.add("Ex 73 destination.port", post8000, TestRequest.request("POST", "/").port(9000), "200");
		// 7.7 dry-run, AUDIT, CUSTOM (CUSTOM runs before JWT: see CUSTOM tests of the
		// engine)
		String dryRunDeny = """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata:
				  name: deny-headers
				  namespace: foo
				  annotations: {"istio.io/dry-run": "true"}
				spec:
				  action: DENY
				  rules: [{to: [{operation: {paths: ["/headers"]}}]}]
				""";
		all.add("Ex 75 dry-run DENY", dryRunDeny, get("/headers"), "200");
		all.add("Ex 76 only ALLOW is dry-run",
				dryRunDeny.replace("action: DENY", "action: ALLOW").replace("/headers", "/a"), get("/b"), "200");
		all.add("Ex 78 AUDIT never denies",
				policy("audit", "spec:\n  action: AUDIT\n  rules:\n  - to: [{operation: {methods: [\"GET\"]}}]\n"),
				get("/"), "200");
		return all.arguments.stream();
	}

	static Stream<Arguments> rejected() {
		return Stream.of(
				Arguments.of("Ex 5 DENY without rules", policy("d", "spec:\n  action: DENY\n"),
						"DENY action without `rules` is meaningless"),
				Arguments.of("Ex 26 ports: [*]", policy("p", ops("ports: [\"*\"]")), "bad port (*)"),
				Arguments.of("Ex 33 serviceAccounts with namespaces",
						policy("p", src("serviceAccounts: [\"bar/sa\"]\n        namespaces: [\"bar\"]")),
						"serviceAccounts with namespaces or principals"),
				Arguments.of("Ex 74 destination.labels",
						policy("p", when("destination.labels[app]", "values: [\"x\"]")),
						"replaced by the workload selector"),
				Arguments.of("Ex 74 request.auth.claims.sub",
						policy("p", when("request.auth.claims.sub", "values: [\"x\"]")), "request.auth.claims.sub"),
				Arguments.of("Ex 74 request.path", policy("p", when("request.path", "values: [\"x\"]")),
						"unknown attribute: request.path"),
				Arguments.of("Ex 77 dry-run on AUDIT", """
						apiVersion: security.istio.io/v1
						kind: AuthorizationPolicy
						metadata:
						  name: audit
						  namespace: foo
						  annotations: {"istio.io/dry-run": "true"}
						spec:
						  action: AUDIT
						  rules: [{}]
						""", "istio.io/dry-run"));
	}

	private static CompiledPolicies compile(String yaml) {
		PolicyLoader loader = new PolicyLoader(LoaderSettings.withDefaultNamespace("foo"));
		return new PolicyCompiler(WORKLOAD, MeshSettings.DEFAULTS, Map.of())
			.compile(yaml.isEmpty() ? List.of() : loader.parse("example.yaml", yaml).policies());
	}

	private static TestRequest get(String path) {
		return TestRequest.get(path);
	}

	/** An AuthorizationPolicy in namespace foo with the given spec text. */
	private static String policy(String name, String spec) {
		return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: " + name
				+ "\n  namespace: foo\n" + spec;
	}

	private static String ops(String operation) {
		return "spec:\n  rules:\n  - to:\n    - operation:\n        " + operation + "\n";
	}

	private static String src(String source) {
		return "spec:\n  rules:\n  - from:\n    - source:\n        " + source + "\n";
	}

	private static String when(String key, String values) {
		return "spec:\n  rules:\n  - when:\n    - key: \"" + key + "\"\n      " + values + "\n";
	}

	private static String deny(String name, String operation) {
		return policy(name, "spec:\n  action: DENY\n  rules:\n  - to:\n    - operation:\n        " + operation + "\n");
	}

	private static final class Examples {

		private final List<Arguments> arguments = new ArrayList<>();

		void add(String example, String yaml, TestRequest request, String expected) {
			add(example, yaml, request, expected, PathNormalization.BASE);
		}

		void add(String example, String yaml, TestRequest request, String expected, PathNormalization mode) {
			this.arguments.add(Arguments.of(example + ((mode != PathNormalization.BASE) ? " (" + mode + ")" : ""), yaml,
					request, expected, mode));
		}

	}

}
