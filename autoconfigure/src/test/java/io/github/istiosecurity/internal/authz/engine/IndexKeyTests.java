package io.github.istiosecurity.internal.authz.engine;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.PolicyRef;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.authz.RuleRef;
import io.github.istiosecurity.internal.authz.match.IpBlock;
import io.github.istiosecurity.internal.authz.match.StringMatcher;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.PolicyOrigin;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which parts of a rule can key it in the exact-value index ({@link IndexKey}), and that
 * the index then spares the other rules.
 */
class IndexKeyTests {

	private static final String ISSUER = "https://idp.example.com";

	@Test
	void exactRequestPrincipalsKeyARuleByIssuerAndSubject() {
		IndexKey key = IndexKey.of(new RequestPrincipalMatcher(ISSUER + "/alice", ISSUER + "/x/bob"));
		assertThat(key).isNotNull();
		assertThat(key.attribute()).isEqualTo(new IndexKey.RequestPrincipal());
		assertThat(key.values()).containsExactly(List.of(ISSUER, "alice"), List.of(ISSUER + "/x", "bob"));
	}

	@Test
	void aWildcardOrPresenceValueLeavesOnlyThePresenceOfAHeader() {
		assertThat(IndexKey.of(new RequestPrincipalMatcher(ISSUER + "/alice", ISSUER + "/*"))).isNull();
		assertThat(IndexKey.of(new RequestPrincipalMatcher("*"))).isNull();
		assertThat(IndexKey.of(new ClaimMatcher(List.of("groups"), new StringMatcher.Prefix("adm")))).isNull();
		IndexKey header = IndexKey.of(header("x-tenant", new StringMatcher.Exact("a"), StringMatcher.PRESENT));
		assertThat(header.attribute()).isEqualTo(new IndexKey.Present(StringAttribute.header("x-tenant")));
		assertThat(header.values()).containsExactly(Boolean.TRUE);
		assertThat(IndexKey.of(new StringAttributeMatcher(StringAttribute.SNI, StringMatcher.NON_EMPTY)).attribute())
			.isEqualTo(new IndexKey.Present(StringAttribute.SNI));
	}

	@Test
	void aNegatedPartNeverKeysARule() {
		assertThat(IndexKey.of(RequestMatcher.not(new RequestPrincipalMatcher(ISSUER + "/alice")))).isNull();
		assertThat(IndexKey.of(RequestMatcher.not(header("x-tenant", new StringMatcher.Exact("a"))))).isNull();
		assertThat(IndexKey.of(RequestMatcher.not(new PortMatcher(8080)))).isNull();
		assertThat(IndexKey.of(RequestMatcher
			.not(new IpAttributeMatcher(IpAttributeMatcher.Attribute.SOURCE, IpBlock.parse("10.0.0.0/8"))))).isNull();
		assertThat(IndexKey.of(RequestMatcher.not(hosts("a.example.com")))).isNull();
	}

	@Test
	void headerNamesIgnoreCase() {
		IndexKey upper = IndexKey.of(header("X-Tenant", new StringMatcher.Exact("a")));
		IndexKey lower = IndexKey.of(header("x-tenant", new StringMatcher.Exact("b")));
		assertThat(upper.attribute()).isEqualTo(lower.attribute());
	}

	@Test
	void hostsWithAndWithoutAnyPortKeyARuleByTheFoldedHostName() {
		IndexKey key = IndexKey.of(hosts("Httpbin.Example.COM", "httpbin.example.com:*", "api.example.com:8443"));
		assertThat(key.attribute()).isEqualTo(new IndexKey.HostName());
		assertThat(key.values()).containsExactly("httpbin.example.com", "api.example.com");
		// a suffix, a prefix that may end inside the name, presence, or a name beyond
		// ASCII: no key
		assertThat(IndexKey.of(hosts("a.example.com", "*.example.com"))).isNull();
		assertThat(IndexKey.of(hosts("a.example.*"))).isNull();
		assertThat(IndexKey.of(hosts("*"))).isNull();
		assertThat(IndexKey.of(hosts("bücher.example"))).isNull();
	}

	@Test
	void portsAddressBlocksAndPathSuffixesKeyARule() {
		assertThat(IndexKey.of(new PortMatcher(8080, 9090)).values()).containsExactly(8080, 9090);
		IpBlock block = IpBlock.parse("10.1.0.0/16");
		IndexKey address = IndexKey.of(new IpAttributeMatcher(IpAttributeMatcher.Attribute.REMOTE, block));
		assertThat(address.attribute()).isEqualTo(new IndexKey.Address(IpAttributeMatcher.Attribute.REMOTE));
		assertThat(address.values()).containsExactly(block);
		IndexKey suffixes = IndexKey.of(new StringAttributeMatcher(StringAttribute.PATH,
				new StringMatcher.Suffix(".csv"), new StringMatcher.Exact("/report")));
		assertThat(suffixes.attribute()).isEqualTo(new IndexKey.PathSuffix());
		assertThat(suffixes.values()).containsExactly(".csv", "/report");
		assertThat(IndexKey.of(new StringAttributeMatcher(StringAttribute.PATH, new StringMatcher.Suffix(".csv"),
				new StringMatcher.Prefix("/api/"))))
			.isNull();
	}

	@Test
	void exactValuesComeBeforeBlocksThenPortsThenPresenceThenTheMethod() {
		RequestMatcher get = new StringAttributeMatcher(StringAttribute.METHOD, exact("GET"));
		RequestMatcher present = header("x-debug", StringMatcher.PRESENT);
		RequestMatcher port = new PortMatcher(9000);
		RequestMatcher block = new IpAttributeMatcher(IpAttributeMatcher.Attribute.SOURCE, IpBlock.parse("10.0.0.0/8"),
				IpBlock.parse("192.168.0.0/16"));
		RequestMatcher host = hosts("a.example.com", "b.example.com", "c.example.com");
		assertThat(IndexKey.of(RequestMatcher.allOf(get, present, port, block, host)).attribute())
			.isEqualTo(new IndexKey.HostName());
		assertThat(IndexKey.of(RequestMatcher.allOf(get, present, port, block)).attribute())
			.isInstanceOf(IndexKey.Address.class);
		assertThat(IndexKey.of(RequestMatcher.allOf(get, present, port)).attribute()).isEqualTo(new IndexKey.Port());
		assertThat(IndexKey.of(RequestMatcher.allOf(get, present)).attribute()).isInstanceOf(IndexKey.Present.class);
	}

	@Test
	void theMostSelectiveMandatoryPartKeysARule() {
		RequestMatcher rule = RequestMatcher.allOf(
				new StringAttributeMatcher(StringAttribute.header("x-tenant"), new StringMatcher.Exact("a"),
						new StringMatcher.Exact("b")),
				RequestMatcher.not(new RequestPrincipalMatcher(ISSUER + "/mallory")),
				new ClaimMatcher(List.of("realm", "roles"), new StringMatcher.Exact("admin")));
		IndexKey key = IndexKey.of(rule);
		assertThat(key.attribute()).isEqualTo(new IndexKey.Claim(List.of("realm", "roles")));
		assertThat(key.values()).containsExactly("admin");
	}

	@Test
	void theMethodKeysARuleOnlyWhenNothingElseCan() {
		RequestMatcher get = new StringAttributeMatcher(StringAttribute.METHOD, exact("GET"));
		RequestMatcher principals = new RequestPrincipalMatcher(ISSUER + "/alice", ISSUER + "/bob");
		assertThat(IndexKey.of(RequestMatcher.allOf(get, principals)).attribute())
			.isEqualTo(new IndexKey.RequestPrincipal());
		assertThat(IndexKey.of(get).attribute()).isEqualTo(new IndexKey.StringValued(StringAttribute.METHOD));
	}

	@Test
	void alternativesKeyARuleOnlyWhenEachHasAPartOnTheSameAttribute() {
		RequestMatcher both = RequestMatcher.anyOf(new RequestPrincipalMatcher(ISSUER + "/alice"),
				RequestMatcher.allOf(new RequestPrincipalMatcher(ISSUER + "/bob"), header("x-a", exact("1"))));
		assertThat(IndexKey.of(both).values()).containsExactly(List.of(ISSUER, "alice"), List.of(ISSUER, "bob"));
		RequestMatcher oneWithout = RequestMatcher.anyOf(new RequestPrincipalMatcher(ISSUER + "/alice"),
				header("x-a", exact("1")));
		assertThat(IndexKey.of(oneWithout)).isNull();
	}

	@Test
	void aThousandPrincipalOnlyRulesCostOneRuleTest() {
		RuleSet rules = new RuleSet(java.util.stream.IntStream.range(0, 1000)
			.mapToObj((i) -> rule(i, new RequestPrincipalMatcher(ISSUER + "/user" + i)))
			.toList());
		CountingRequest request = new CountingRequest(Map.of(), Map.of("iss", ISSUER, "sub", "user999"));
		assertThat(rules.firstMatch(request)).isEqualTo(999);
		// one look-up for the index, one for the rule it found
		assertThat(request.claimReads).isEqualTo(2);
		CountingRequest nobody = new CountingRequest(Map.of(), Map.of("iss", ISSUER, "sub", "nobody"));
		assertThat(rules.firstMatch(nobody)).isEqualTo(-1);
		assertThat(nobody.claimReads).isEqualTo(1);
	}

	@Test
	void aThousandHeaderOnlyRulesCostOneRuleTest() {
		RuleSet rules = new RuleSet(java.util.stream.IntStream.range(0, 1000)
			.mapToObj((i) -> rule(i, header("x-tenant", exact("tenant-" + i))))
			.toList());
		CountingRequest request = new CountingRequest(Map.of("x-tenant", "tenant-500"), null);
		assertThat(rules.firstMatch(request)).isEqualTo(500);
		assertThat(request.headerReads).isEqualTo(2);
		CountingRequest without = new CountingRequest(Map.of(), null);
		assertThat(rules.firstMatch(without)).isEqualTo(-1);
		assertThat(without.headerReads).isEqualTo(1);
	}

	@Test
	void aListClaimFindsTheFirstRuleOfAnyOfItsStrings() {
		RuleSet rules = new RuleSet(List.of(rule(0, claim("groups", "ops")), rule(1, claim("groups", "dev")),
				rule(2, claim("groups", "admin"))));
		CountingRequest request = new CountingRequest(Map.of(), Map.of("groups", List.of("admin", 5, "dev")));
		assertThat(rules.firstMatch(request)).isEqualTo(1);
	}

	private static RequestMatcher header(String name, StringMatcher... values) {
		return new StringAttributeMatcher(StringAttribute.header(name), values);
	}

	private static RequestMatcher hosts(String... values) {
		return new StringAttributeMatcher(StringAttribute.HOST,
				java.util.Arrays.stream(values).map(StringMatcher::ignoringCase).toArray(StringMatcher[]::new));
	}

	private static RequestMatcher claim(String name, String value) {
		return new ClaimMatcher(List.of(name), exact(value));
	}

	private static StringMatcher exact(String value) {
		return new StringMatcher.Exact(value);
	}

	private static CompiledRule rule(int index, RequestMatcher matcher) {
		return new CompiledRule(
				new RuleRef(new PolicyRef("foo", "p" + index, Action.ALLOW, false, new PolicyOrigin("t", 0)), 0),
				matcher);
	}

	/** Counts how often the rules read the claims and headers. */
	private static final class CountingRequest implements RequestAttributes {

		private final Map<String, String> headers;

		private final @Nullable Map<String, Object> claims;

		int claimReads;

		int headerReads;

		CountingRequest(Map<String, String> headers, @Nullable Map<String, Object> claims) {
			this.headers = headers;
			this.claims = claims;
		}

		@Override
		public String method() {
			return "GET";
		}

		@Override
		public @Nullable String host() {
			return "httpbin.foo:8000";
		}

		@Override
		public String path() {
			return "/";
		}

		@Override
		public @Nullable String header(String lowerCaseName) {
			this.headerReads++;
			return this.headers.get(lowerCaseName);
		}

		@Override
		public int destinationPort() {
			return 8000;
		}

		@Override
		public @Nullable IpAddress destinationIp() {
			return null;
		}

		@Override
		public @Nullable IpAddress sourceIp() {
			return null;
		}

		@Override
		public @Nullable IpAddress remoteIp() {
			return null;
		}

		@Override
		public @Nullable Map<String, Object> jwtClaims() {
			this.claimReads++;
			return this.claims;
		}

	}

}
