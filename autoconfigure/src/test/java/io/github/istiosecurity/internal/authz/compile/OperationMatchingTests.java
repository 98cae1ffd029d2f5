package io.github.istiosecurity.internal.authz.compile;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.model.Operation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.istiosecurity.internal.authz.compile.Policies.allow;
import static io.github.istiosecurity.internal.authz.compile.Policies.compile;
import static io.github.istiosecurity.internal.authz.compile.Policies.op;
import static io.github.istiosecurity.internal.authz.compile.Policies.to;
import static io.github.istiosecurity.internal.authz.engine.TestRequest.get;
import static io.github.istiosecurity.internal.authz.engine.TestRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code to.operation} fields (§3.6, §3.8, §3.12): paths, methods, hosts and ports with
 * their negative twins.
 */
class OperationMatchingTests {

	@ParameterizedTest(name = "paths [{0}] {1} -> {2}")
	@CsvSource(delimiter = '|', textBlock = """
			/public          | /public?x=1          | true
			/public          | /public/            | false
			/api*            | /apikeys            | true
			/api/*           | /api                | false
			/api/*           | /api/               | true
			*/info           | /v1/info            | true
			*/info           | /info/x             | false
			*                | /                   | true
			/api/*/info      | /api/v1/info        | false
			/api/*/info      | /api/*/info         | true
			/api/{*}/info    | /api/v1/info        | true
			/api/{*}/info    | /api/v1/v2/info     | false
			/api/{*}/info    | /api//info          | false
			/allow/admin/{**}| /allow/admin        | false
			/allow/admin/{**}| /allow/admin/       | true
			/allow/admin/{**}| /allow/admin/a/b.txt| true
			/foo/{*}/bar/{**}| /foo/buzz/bar/bat.txt | true
			/foo/{*}/bar/{**}| /foo/bar/bat.txt    | false
			/foo/{*}/bar/{**}| /foo//bar/bat.txt   | false
			/store/{**}/cart | /store//cart        | true
			/store/{**}/cart | /store/foo/bar/cart | true
			/store/{**}/cart | /store/cart         | false
			/Admin           | /admin              | false
			""")
	void paths(String value, String path, boolean matches) {
		assertMatches(op().paths(value).build(), get(path), matches);
	}

	@ParameterizedTest(name = "methods [{0}] {1} -> {2}")
	@CsvSource(delimiter = '|', textBlock = """
			GET  | GET    | true
			get  | GET    | false
			GET  | HEAD   | false
			*    | PATCH  | true
			P*   | PUT    | true
			*ETE | DELETE | true
			""")
	void methods(String value, String method, boolean matches) {
		assertMatches(op().methods(value).build(), request(method, "/"), matches);
	}

	@ParameterizedTest(name = "hosts [{0}] Host: {1} -> {2}")
	@CsvSource(delimiter = '|', textBlock = """
			example.com     | EXAMPLE.COM       | true
			example.com     | example.com:8000  | false
			example.com:*   | example.com:8000  | true
			*.example.com   | API.Example.com   | true
			api.*           | API.example.com   | true
			*               | anything          | true
			""")
	void hosts(String value, String host, boolean matches) {
		assertMatches(op().hosts(value).build(), get("/").host(host), matches);
	}

	@ParameterizedTest(name = "ports [{0}] local port {1} -> {2}")
	@CsvSource({ "8000, 8000, true", "8000, 9090, false", "0, 0, true" })
	void ports(String value, int port, boolean matches) {
		assertMatches(op().ports(value).build(), get("/").port(port), matches);
	}

	@ParameterizedTest(name = "notPaths [{0}] {1} -> {2}")
	@CsvSource({ "/healthz, /healthz, false", "/healthz, /api, true", "/admin*, /admin/x, false" })
	void notPathsMatchWhenNoValueMatches(String value, String path, boolean matches) {
		assertMatches(op().notPaths(value).build(), get(path), matches);
	}

	@ParameterizedTest(name = "hosts absent Host header with notHosts -> {0}")
	@CsvSource({ "true" })
	void aMissingHostSatisfiesNotHostsButNotHosts(boolean ignored) {
		assertMatches(op().notHosts("example.com").build(), get("/").host(null), true);
		assertMatches(op().hosts("*").build(), get("/").host(null), false);
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource(delimiter = '|', textBlock = """
			POST | /info/x | false
			POST | /data   | true
			GET  | /info   | true
			GET  | /data   | false
			""")
	void fieldsAreAndedInsideAnOperationAndOperationsAreOred(String method, String path, boolean allowed) {
		CompiledPolicies snapshot = compile(allow("ops",
				to(op().methods("GET").paths("/info*").build(), op().methods("POST").paths("/data").build())));
		assertThat(snapshot.authorization().authorize(request(method, path)).allowed()).isEqualTo(allowed);
	}

	private static void assertMatches(Operation operation,
			io.github.istiosecurity.internal.authz.engine.TestRequest request, boolean matches) {
		CompiledPolicies snapshot = compile(allow("op", to(operation)));
		assertThat(snapshot.authorization().authorize(request).allowed()).as("%s against %s", request, operation)
			.isEqualTo(matches);
	}

}
