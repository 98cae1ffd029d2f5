package io.github.istiosecurity.internal.authz.compile;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.engine.TestRequest;
import io.github.istiosecurity.model.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.istiosecurity.internal.authz.compile.Policies.allow;
import static io.github.istiosecurity.internal.authz.compile.Policies.compile;
import static io.github.istiosecurity.internal.authz.compile.Policies.deny;
import static io.github.istiosecurity.internal.authz.compile.Policies.from;
import static io.github.istiosecurity.internal.authz.compile.Policies.src;
import static io.github.istiosecurity.internal.authz.engine.DecisionAssert.assertThat;
import static io.github.istiosecurity.internal.authz.engine.TestRequest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code from.source} fields (§3.7, §3.10, §3.11, §3.14): peer identities, request
 * principals and IP blocks.
 */
class SourceMatchingTests {

	@ParameterizedTest(name = "principals [{0}] peer {1} -> {2}")
	@CsvSource(delimiter = '|', textBlock = """
			cluster.local/ns/sleep/sa/sleep | spiffe://cluster.local/ns/sleep/sa/sleep | true
			cluster.local/ns/sleep/sa/sleep | spiffe://cluster.local/ns/sleep/sa/other | false
			cluster.local/ns/*/sa/sleep     | spiffe://cluster.local/ns/x/sa/sleep     | false
			*/sa/sleep                      | spiffe://cluster.local/ns/x/sa/sleep     | true
			cluster.local/ns/sleep/*        | spiffe://cluster.local/ns/sleep/sa/x     | true
			*                               | spiffe://other.td/ns/a/sa/b              | true
			spiffe://cluster.local/ns/a/sa/b| spiffe://cluster.local/ns/a/sa/b         | false
			""")
	void principals(String value, String peer, boolean matches) {
		assertMatches(src().principals(value).build(), get("/").peerIdentity(peer), matches);
	}

	@Test
	void identityFieldsNeverMatchPlaintextAndTheirNegationsAlwaysDo() {
		assertMatches(src().principals("*").build(), get("/"), false);
		assertMatches(src().namespaces("*").build(), get("/"), false);
		assertMatches(src().notNamespaces("evil").build(), get("/"), true);
		assertMatches(src().notPrincipals("*").build(), get("/"), true);
	}

	@ParameterizedTest(name = "namespaces [{0}] peer ns {1} -> {2}")
	@CsvSource({ "prod-*-eu, prod-web-eu, true", "prod-*-eu, prod-web-us, false", "foo, foo, true",
			"foo, foobar, false", "*, any, true" })
	void namespacesTakeWildcardsAnywhere(String value, String namespace, boolean matches) {
		assertMatches(src().namespaces(value).build(), get("/").mtlsPeer(namespace, "app"), matches);
	}

	@ParameterizedTest(name = "serviceAccounts [{0}] peer {1}/{2} -> {3}")
	@CsvSource({ "sleep, foo, sleep, true", "sleep, bar, sleep, false", "bar/sleep, bar, sleep, true",
			"bar/sleep, bar, sleepy, false" })
	void aBareServiceAccountBelongsToThePolicysNamespace(String value, String namespace, String account,
			boolean matches) {
		assertMatches(src().serviceAccounts(value).build(), get("/").mtlsPeer(namespace, account), matches);
	}

	@ParameterizedTest(name = "trustDomains [{0}] peer {1} -> {2}")
	@CsvSource({ "cluster.local, spiffe://cluster.local/ns/a/sa/b, true",
			"cluster.local, spiffe://other/ns/a/sa/b, false", "*.example.org, spiffe://td.example.org/ns/a/sa/b, true",
			"td-*, spiffe://td-1/ns/a/sa/b, true", "*, spiffe://x/ns/a/sa/b, true" })
	void trustDomains(String value, String peer, boolean matches) {
		assertMatches(src().trustDomains(value).build(), get("/").peerIdentity(peer), matches);
	}

	@Test
	void cluster_localInAPrincipalMeansTheMeshTrustDomainAndItsAliases() {
		MeshSettings mesh = new MeshSettings("istio-system", "new-td", List.of("old-td"));
		CompiledPolicies snapshot = new PolicyCompiler(Policies.HTTPBIN, mesh, Map.of())
			.compile(List.of(allow("td", from(src().principals("cluster.local/ns/sleep/sa/sleep").build()))));
		assertThat(snapshot.authorization().authorize(get("/").peerIdentity("spiffe://old-td/ns/sleep/sa/sleep")))
			.isAllowed();
		assertThat(snapshot.authorization().authorize(get("/").peerIdentity("spiffe://new-td/ns/sleep/sa/sleep")))
			.isAllowed();
		assertThat(
				snapshot.authorization().authorize(get("/").peerIdentity("spiffe://cluster.local/ns/sleep/sa/sleep")))
			.isDenied();
	}

	@ParameterizedTest(name = "requestPrincipals [{0}] iss={1} sub={2} -> {3}")
	@CsvSource(delimiter = '|', nullValues = "null", textBlock = """
			*                                    | https://idp.example.com | alice        | true
			*                                    | https://idp.example.com | null         | false
			https://idp.example.com/alice        | https://idp.example.com | alice        | true
			https://idp.example.com/alice        | https://idp.example.com | bob          | false
			https://idp.example.com/*            | https://idp.example.com | anyone       | true
			https://idp.example.com/al*          | https://idp.example.com | alice        | true
			*/alice                              | https://other           | alice        | true
			*.com/alice                          | https://idp.example.com | alice        | true
			idp*                                 | idp.example.com         | alice        | true
			https://idp*                         | https://idp.example.com | alice        | false
			*ice                                 | https://idp.example.com | alice        | true
			https://idp.example.com              | https://idp.example.com | alice        | false
			https://idp.example.com/repo:org/app | https://idp.example.com | repo:org/app | false
			https://issuer.exa*                  | https://issuer.example  | x            | false
			""")
	void requestPrincipalsSplitAtTheLastSlash(String value, String issuer, String subject, boolean matches) {
		Map<String, Object> claims = new java.util.HashMap<>();
		claims.put("iss", issuer);
		if (subject != null) {
			claims.put("sub", subject);
		}
		assertMatches(src().requestPrincipals(value).build(), get("/").claims(claims), matches);
	}

	@Test
	void noTokenSatisfiesNotRequestPrincipals() {
		// Ex 60/61: DENY notRequestPrincipals ["*"] denies anonymous requests
		CompiledPolicies snapshot = compile(deny("require-jwt", from(src().notRequestPrincipals("*").build())));
		assertThat(snapshot.authorization().authorize(get("/api"))).isDeniedBy("foo/require-jwt", 0);
		assertThat(snapshot.authorization().authorize(get("/api").claims(Map.of("iss", "i", "sub", "s")))).isAllowed();
	}

	@Test
	void ipBlocksTestTheSocketPeerAndRemoteIpBlocksTheTrustedClient() {
		TestRequest request = get("/").sourceIp("10.0.0.5").remoteIp("203.0.113.7");
		assertMatches(src().remoteIpBlocks("203.0.113.0/24").build(), request, true);
		assertMatches(src().ipBlocks("203.0.113.0/24").build(), request, false);
		assertMatches(src().ipBlocks("10.0.0.5").build(), request, true);
		assertMatches(src().notIpBlocks("10.0.0.0/8").build(), request, false);
	}

	@ParameterizedTest(name = "ipBlocks [{0}] peer {1} -> {2}")
	@CsvSource({ "10.1.2.3/16, 10.1.200.1, true", "2001:db8::/32, 2001:db8::1, true", "2001:db8::/32, 10.0.0.1, false",
			"10.0.0.0/8, ::ffff:10.0.0.1, true", "::/0, 10.0.0.1, false", "0.0.0.0/0, ::1, false" })
	void ipFamiliesNeverMix(String value, String peer, boolean matches) {
		assertMatches(src().ipBlocks(value).build(), get("/").sourceIp(peer), matches);
	}

	private static void assertMatches(Source source, TestRequest request, boolean matches) {
		CompiledPolicies snapshot = compile(allow("src", from(source)));
		assertThat(snapshot.authorization().authorize(request).allowed()).as("%s against %s", request, source)
			.isEqualTo(matches);
	}

}
