package io.github.istiosecurity.internal.authz.compile;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.engine.TestRequest;
import io.github.istiosecurity.model.Condition;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.authz.compile.Policies.allow;
import static io.github.istiosecurity.internal.authz.compile.Policies.compile;
import static io.github.istiosecurity.internal.authz.compile.Policies.notValues;
import static io.github.istiosecurity.internal.authz.compile.Policies.values;
import static io.github.istiosecurity.internal.authz.compile.Policies.when;
import static io.github.istiosecurity.internal.authz.engine.TestRequest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every {@code when} key of §3.9, with values and notValues.
 */
class ConditionMatchingTests {

	@Test
	void headerNamesAreCaseInsensitiveAndValuesUseTheCommonGrammar() {
		Condition env = values("request.headers[X-Env]", "prod*");
		assertMatches(env, get("/").header("x-env", "production"), true);
		assertMatches(env, get("/").header("X-ENV", "staging"), false);
		assertMatches(env, get("/"), false);
	}

	@Test
	void starMeansHeaderPresentEvenWhenEmpty() {
		assertMatches(values("request.headers[x-a]", "*"), get("/").header("x-a", ""), true);
		assertMatches(notValues("request.headers[x-a]", "*"), get("/"), true);
		assertMatches(notValues("request.headers[x-a]", "*"), get("/").header("x-a", "v"), false);
	}

	@Test
	void duplicateHeadersAreMatchedJoinedWithComma() {
		TestRequest request = get("/").header("x-tag", "a").header("x-tag", "b");
		assertMatches(values("request.headers[x-tag]", "a"), request, false);
		assertMatches(values("request.headers[x-tag]", "a*"), request, true);
		assertMatches(values("request.headers[x-tag]", "a,b"), request, true);
	}

	@Test
	void valuesAndNotValuesTogether() {
		Condition user = new Condition("request.headers[x-user]", List.of("*"), List.of("guest"));
		assertMatches(user, get("/").header("x-user", "alice"), true);
		assertMatches(user, get("/").header("x-user", "guest"), false);
		assertMatches(user, get("/"), false);
	}

	@Test
	void pseudoHeadersReadTheRequestLine() {
		assertMatches(values("request.headers[:method]", "GET"), get("/"), true);
		assertMatches(values("request.headers[:path]", "/public?x=*"), get("/public?x=1"), true);
		assertMatches(values("request.headers[:path]", "/public"), get("/public?x=1"), false);
		assertMatches(values("request.headers[:path]", "/public?x=1"), get("/public?x=1"), true);
		assertMatches(values("request.headers[:authority]", "httpbin.foo*"), get("/"), true);
	}

	@Test
	void listClaimsMatchAnyElementAndStringClaimsMatchThemselves() {
		Condition groups = values("request.auth.claims[groups]", "admin");
		assertMatches(groups, token(Map.of("groups", List.of("dev", "admin"))), true);
		assertMatches(groups, token(Map.of("groups", "admin")), true);
		assertMatches(groups, token(Map.of()), false);
		assertMatches(groups, get("/"), false);
	}

	@Test
	void nestedClaimsUseOneBracketPerLevel() {
		Condition roles = values("request.auth.claims[realm_access][roles]", "admin");
		assertMatches(roles, token(Map.of("realm_access", Map.of("roles", List.of("user", "admin")))), true);
		assertMatches(roles, token(Map.of("realm_access.roles", List.of("admin"))), false);
		assertMatches(values("request.auth.claims[foo.com/name]", "x"), token(Map.of("foo.com/name", "x")), true);
	}

	@Test
	void numbersBooleansAndObjectsNeverMatch() {
		assertMatches(values("request.auth.claims[level]", "5"), token(Map.of("level", 5)), false);
		assertMatches(values("request.auth.claims[ok]", "true"), token(Map.of("ok", true)), false);
		assertMatches(values("request.auth.claims[groups]", "1"), token(Map.of("groups", List.of(1))), false);
	}

	@Test
	void audiencesAndPresenter() {
		assertMatches(values("request.auth.audiences", "api*"), token(Map.of("aud", List.of("web", "api-v2"))), true);
		assertMatches(values("request.auth.presenter", "mobile"), token(Map.of("azp", "mobile")), true);
		assertMatches(values("request.auth.presenter", "mobile"), token(Map.of()), false);
	}

	@Test
	void requestAuthPrincipalIsMatchedLikeRequestPrincipals() {
		assertMatches(values("request.auth.principal", "https://idp/alice"),
				token(Map.of("iss", "https://idp", "sub", "alice")), true);
	}

	@Test
	void addressesAndPorts() {
		TestRequest request = get("/").sourceIp("10.0.0.5").remoteIp("203.0.113.7").port(8000);
		assertMatches(values("source.ip", "10.0.0.0/24"), request, true);
		assertMatches(values("remote.ip", "203.0.113.7"), request, true);
		assertMatches(values("destination.ip", "10.0.0.20"), request, true);
		assertMatches(values("destination.port", "8000"), request, true);
		assertMatches(notValues("destination.port", "8000"), request, false);
	}

	@Test
	void peerIdentityKeys() {
		TestRequest request = get("/").mtlsPeer("sleep", "sleep");
		assertMatches(values("source.namespace", "sl*"), request, true);
		assertMatches(values("source.principal", "cluster.local/ns/sleep/sa/sleep"), request, true);
		assertMatches(values("source.serviceAccount", "sleep/sleep"), request, true);
		assertMatches(values("source.trustDomain", "cluster.local"), request, true);
		assertMatches(values("source.namespace", "*"), get("/"), false);
	}

	@Test
	void sni() {
		assertMatches(values("connection.sni", "*.example.com"), get("/").sni("api.example.com"), true);
		assertMatches(values("connection.sni", "*"), get("/"), false);
	}

	@Test
	void experimentalMetadataIsAlwaysAbsentInProcess() {
		assertMatches(values("experimental.envoy.filters.http.foo[bar]", "x"), get("/"), false);
		assertMatches(notValues("experimental.envoy.filters.http.foo[bar]", "x"), get("/"), true);
	}

	@Test
	void unknownKeysAreRejectedNotIgnored() {
		for (String key : List.of("request.path", "request.auth.claims.sub", "request.auth.claims[]",
				"destination.labels[app]", "request.header[x]")) {
			assertThatIllegalArgumentException().as(key)
				.isThrownBy(() -> compile(allow("unknown", when(values(key, "x")))))
				.withMessageContaining(key);
		}
	}

	private static TestRequest token(Map<String, Object> claims) {
		return get("/").claims(claims);
	}

	private static void assertMatches(Condition condition, TestRequest request, boolean matches) {
		CompiledPolicies snapshot = compile(allow("when", when(condition)));
		assertThat(snapshot.authorization().authorize(request).allowed()).as("%s against %s", request, condition)
			.isEqualTo(matches);
	}

}
