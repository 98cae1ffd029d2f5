package io.github.istiosecurity.internal.authz.engine;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.PolicyRef;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.authz.RuleRef;
import io.github.istiosecurity.internal.authz.match.StringMatcher;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.PolicyOrigin;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which parts of a rule can key it in the exact-value index ({@link ExactValueKey}), and
 * that the index then spares the other rules.
 */
class ExactValueKeyTests {

	private static final String ISSUER = "https://idp.example.com";

	@Test
	void exactRequestPrincipalsKeyARuleByIssuerAndSubject() {
		ExactValueKey key = ExactValueKey.of(new RequestPrincipalMatcher(ISSUER + "/alice", ISSUER + "/x/bob"));
		assertThat(key).isNotNull();
		assertThat(key.attribute()).isEqualTo(new ExactValueKey.RequestPrincipal());
		assertThat(key.values()).containsExactly(List.of(ISSUER, "alice"), List.of(ISSUER + "/x", "bob"));
	}

	@Test
	void aWildcardOrPresenceValueMakesThePartUnusable() {
		assertThat(ExactValueKey.of(new RequestPrincipalMatcher(ISSUER + "/alice", ISSUER + "/*"))).isNull();
		assertThat(ExactValueKey.of(new RequestPrincipalMatcher("*"))).isNull();
		assertThat(ExactValueKey.of(header("x-tenant", new StringMatcher.Exact("a"), StringMatcher.PRESENT))).isNull();
		assertThat(ExactValueKey.of(new ClaimMatcher(List.of("groups"), new StringMatcher.Prefix("adm")))).isNull();
	}

	@Test
	void aNegatedPartNeverKeysARule() {
		assertThat(ExactValueKey.of(RequestMatcher.not(new RequestPrincipalMatcher(ISSUER + "/alice")))).isNull();
		assertThat(ExactValueKey.of(RequestMatcher.not(header("x-tenant", new StringMatcher.Exact("a"))))).isNull();
	}

	@Test
	void headerNamesIgnoreCaseAndHostsAreNotExact() {
		ExactValueKey upper = ExactValueKey.of(header("X-Tenant", new StringMatcher.Exact("a")));
		ExactValueKey lower = ExactValueKey.of(header("x-tenant", new StringMatcher.Exact("b")));
		assertThat(upper.attribute()).isEqualTo(lower.attribute());
		assertThat(ExactValueKey
			.of(new StringAttributeMatcher(StringAttribute.HOST, StringMatcher.ignoringCase("httpbin.foo")))).isNull();
	}

	@Test
	void theMostSelectiveMandatoryPartKeysARule() {
		RequestMatcher rule = RequestMatcher.allOf(
				new StringAttributeMatcher(StringAttribute.header("x-tenant"), new StringMatcher.Exact("a"),
						new StringMatcher.Exact("b")),
				RequestMatcher.not(new RequestPrincipalMatcher(ISSUER + "/mallory")),
				new ClaimMatcher(List.of("realm", "roles"), new StringMatcher.Exact("admin")));
		ExactValueKey key = ExactValueKey.of(rule);
		assertThat(key.attribute()).isEqualTo(new ExactValueKey.Claim(List.of("realm", "roles")));
		assertThat(key.values()).containsExactly(List.of("admin"));
	}

	@Test
	void theMethodKeysARuleOnlyWhenNothingElseCan() {
		RequestMatcher get = new StringAttributeMatcher(StringAttribute.METHOD, exact("GET"));
		RequestMatcher principals = new RequestPrincipalMatcher(ISSUER + "/alice", ISSUER + "/bob");
		assertThat(ExactValueKey.of(RequestMatcher.allOf(get, principals)).attribute())
			.isEqualTo(new ExactValueKey.RequestPrincipal());
		assertThat(ExactValueKey.of(get).attribute()).isEqualTo(new ExactValueKey.StringValued(StringAttribute.METHOD));
	}

	@Test
	void alternativesKeyARuleOnlyWhenEachHasAPartOnTheSameAttribute() {
		RequestMatcher both = RequestMatcher.anyOf(new RequestPrincipalMatcher(ISSUER + "/alice"),
				RequestMatcher.allOf(new RequestPrincipalMatcher(ISSUER + "/bob"), header("x-a", exact("1"))));
		assertThat(ExactValueKey.of(both).values()).containsExactly(List.of(ISSUER, "alice"), List.of(ISSUER, "bob"));
		RequestMatcher oneWithout = RequestMatcher.anyOf(new RequestPrincipalMatcher(ISSUER + "/alice"),
				header("x-a", exact("1")));
		assertThat(ExactValueKey.of(oneWithout)).isNull();
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
