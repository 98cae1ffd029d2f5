package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.Condition;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.ObjectMeta;
import io.github.istiosecurity.model.Operation;
import io.github.istiosecurity.model.PolicyOrigin;
import io.github.istiosecurity.model.Rule;
import io.github.istiosecurity.model.Source;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexes of {@link RuleSet} never change a decision: random policy sets (ALLOW,
 * DENY, AUDIT, CUSTOM, dry-run; exact values, wildcards, presence, notValues; request
 * principals, headers, claims, exact, prefix and suffix paths, methods, hosts in any case
 * with and without a port, ports, source, remote and destination address blocks of both
 * families, the SNI) decide random requests (with and without a token, repeated headers,
 * list, nested and non-string claims, hosts in other cases or beyond ASCII, IPv4 and IPv6
 * peers) exactly as the same compiled rules tested one by one, including which policy and
 * rule decided and the AUDIT and dry-run observations.
 */
class IndexedDecisionTests {

	private static final Workload HTTPBIN = new Workload("foo", Map.of("app", "httpbin"));

	private static final String[] ISSUERS = { "https://a", "https://b", "https://a/realms/x" };

	private static final String[] SUBJECTS = { "alice", "bob", "", "x/alice" };

	private static final String[] HEADER_NAMES = { "x-tenant", "X-Tenant", "x-role", ":method", "host" };

	private static final String[] HEADER_VALUES = { "t1", "t2", "T1", "", "t1,t2", "GET" };

	private static final String[] CLAIM_KEYS = { "request.auth.claims[groups]", "request.auth.claims[realm][roles]",
			"request.auth.claims[realm]", "request.auth.audiences", "request.auth.presenter" };

	private static final String[] CLAIM_VALUES = { "admin", "dev", "ops", "" };

	private static final String[] PATHS = { "/api/orders", "/api/users/1", "/admin", "/", "/x/report.csv",
			"/api/report.csv", "/orders" };

	private static final String[] SUFFIX_PATHS = { "*/orders", "*.csv", "*/1", "*", "/admin", "*rs" };

	/**
	 * Host values of policies: exact in any case, any port, one port, suffix, presence,
	 * beyond ASCII.
	 */
	private static final String[] HOSTS = { "httpbin.foo", "HTTPBIN.foo:*", "httpbin.foo:8000", "api.bar", "api.bar:*",
			"*.bar", "*", "[::1]:*", "[::1]", "httpbin.*", "stra\u00dfe.foo" };

	/**
	 * Hosts of requests; {@code httpbın} (dotless i) equals {@code httpbin} ignoring case
	 * in Java.
	 */
	private static final String[] REQUEST_HOSTS = { "httpbin.foo", "HttpBin.Foo:8000", "httpbin.foo:9000",
			"api.bar:443", "API.BAR", "[::1]:8000", "[::1]", "httpb\u0131n.foo", "stra\u00dfe.foo", "x.bar:8000" };

	private static final String[] PORTS = { "8000", "9000", "443" };

	private static final String[] BLOCKS = { "10.0.0.0/8", "10.1.2.0/24", "10.1.2.3", "127.0.0.1/32", "0.0.0.0/0",
			"::1", "2001:db8::/32", "2001:db8:1::/48", "::/0", "192.168.0.0/16" };

	private static final String[] ADDRESSES = { "10.0.0.5", "10.1.2.3", "10.1.2.200", "127.0.0.1", "192.168.1.1", "::1",
			"2001:db8::1", "2001:db8:1::9", "172.16.0.1" };

	private static final Action[] ACTIONS = { Action.ALLOW, Action.ALLOW, Action.ALLOW, Action.DENY, Action.DENY,
			Action.AUDIT, Action.CUSTOM };

	private static final ExtensionAuthorizer ALLOWING = new ExtensionAuthorizer() {

		@Override
		public String name() {
			return "allowing";
		}

		@Override
		public ExtensionDecision check(io.github.istiosecurity.authz.RequestAttributes request) {
			return ExtensionDecision.allow();
		}

	};

	private final Map<Decision.Reason, Integer> reasons = new EnumMap<>(Decision.Reason.class);

	private int audited;

	private int shadowed;

	@ParameterizedTest
	@ValueSource(longs = { 1L, 18L, 20261207L })
	void indexedDecisionsAreTheDecisionsOfALinearScan(long seed) {
		Random random = new Random(seed);
		for (int round = 0; round < 300; round++) {
			List<IstioPolicy> policies = new ArrayList<>();
			int count = 1 + random.nextInt(25);
			for (int i = 0; i < count; i++) {
				policies.add(randomPolicy(random, i));
			}
			AuthorizationRules indexed = new PolicyCompiler(HTTPBIN, MeshSettings.DEFAULTS,
					Map.of("ext", ALLOWING, "other", ALLOWING))
				.compile(policies)
				.authorization();
			AuthorizationRules linear = indexed.withoutIndexes();
			for (int r = 0; r < 40; r++) {
				TestRequest request = randomRequest(random);
				int roundNumber = round;
				Supplier<String> where = () -> "seed " + seed + ", round " + roundNumber + ", " + request + " host="
						+ request.host() + " port=" + request.destinationPort() + " source=" + request.sourceIp()
						+ " remote=" + request.remoteIp() + " sni=" + request.sni() + " x-tenant="
						+ request.header("x-tenant") + " x-role=" + request.header("x-role") + " claims "
						+ request.jwtClaims() + " with " + policies;
				assertSameDecision(indexed.authorize(request), linear.authorize(request), where);
				assertSameDecision(indexed.checkCustom(request), linear.checkCustom(request), where);
				assertThat(indexed.customRuleMatches(request)).as(where).isEqualTo(linear.customRuleMatches(request));
			}
		}
		// the cases reach every outcome, so the comparison is not vacuous
		assertThat(this.reasons.getOrDefault(Decision.Reason.ALLOWED_BY_RULE, 0)).isGreaterThan(1000);
		assertThat(this.reasons.getOrDefault(Decision.Reason.DENIED_BY_RULE, 0)).isGreaterThan(1000);
		assertThat(this.reasons.getOrDefault(Decision.Reason.NO_ALLOW_RULE_MATCHED, 0)).isGreaterThan(1000);
		assertThat(this.reasons.getOrDefault(Decision.Reason.CUSTOM_ALLOWED, 0)).isGreaterThan(100);
		assertThat(this.audited).isGreaterThan(100);
		assertThat(this.shadowed).isGreaterThan(100);
	}

	private void assertSameDecision(Decision indexed, Decision linear, Supplier<String> where) {
		assertThat(indexed.reason()).as(where).isEqualTo(linear.reason());
		assertThat(indexed.rule()).as(where).isEqualTo(linear.rule());
		assertThat(indexed.status()).as(where).isEqualTo(linear.status());
		assertThat(indexed.provider()).as(where).isEqualTo(linear.provider());
		assertThat(indexed.audit()).as(where).isEqualTo(linear.audit());
		assertThat(indexed.dryRunAllow()).as(where).isEqualTo(linear.dryRunAllow());
		assertThat(indexed.dryRunDeny()).as(where).isEqualTo(linear.dryRunDeny());
		this.reasons.merge(indexed.reason(), 1, Integer::sum);
		if (indexed.audit() != null) {
			this.audited++;
		}
		if (indexed.dryRunAllow() != null && indexed.dryRunAllow().rule() != null
				|| indexed.dryRunDeny() != null && indexed.dryRunDeny().rule() != null) {
			this.shadowed++;
		}
	}

	private static AuthorizationPolicy randomPolicy(Random random, int index) {
		Action action = ACTIONS[random.nextInt(ACTIONS.length)];
		boolean dryRun = (action == Action.ALLOW || action == Action.DENY) && random.nextInt(6) == 0;
		int ruleCount = (random.nextInt(12) == 0) ? 0 : 1 + random.nextInt(3);
		List<Rule> rules = new ArrayList<>();
		for (int i = 0; i < ruleCount; i++) {
			rules.add(randomRule(random));
		}
		String name = "p" + random.nextInt(1000) + "-" + index;
		ObjectMeta meta = dryRun
				? new ObjectMeta(name, "foo", Map.of(ObjectMeta.DRY_RUN_ANNOTATION, "true"), Map.of(), null)
				: ObjectMeta.of(name, "foo");
		String provider = (action == Action.CUSTOM) ? (random.nextInt(8) == 0 ? "other" : "ext") : null;
		return new AuthorizationPolicy("security.istio.io/v1", meta, new PolicyOrigin(name, 0), null, List.of(), action,
				provider, rules);
	}

	private static Rule randomRule(Random random) {
		List<Source> from = new ArrayList<>();
		int sources = weighted(random, 3, 5, 2);
		for (int i = 0; i < sources; i++) {
			from.add(randomSource(random));
		}
		List<Operation> to = new ArrayList<>();
		int operations = weighted(random, 6, 2, 1);
		for (int i = 0; i < operations; i++) {
			to.add(randomOperation(random));
		}
		List<Condition> when = new ArrayList<>();
		int conditions = weighted(random, 3, 4, 2, 1);
		for (int i = 0; i < conditions; i++) {
			when.add(randomCondition(random));
		}
		return new Rule(from, to, when);
	}

	private static Source randomSource(Random random) {
		Source.Builder source = Source.builder();
		int kind = random.nextInt(10);
		if (kind < 6) {
			source.requestPrincipals(values(random, IndexedDecisionTests::principal));
		}
		else if (kind < 8) {
			source.notRequestPrincipals(values(random, IndexedDecisionTests::principal));
		}
		else {
			source.namespaces((random.nextBoolean()) ? "foo" : "*");
		}
		if (random.nextInt(5) == 0) {
			source.notRequestPrincipals(principal(random));
		}
		switch (random.nextInt(8)) {
			case 0 -> source.ipBlocks(values(random, (r) -> pick(r, BLOCKS)));
			case 1 -> source.remoteIpBlocks(values(random, (r) -> pick(r, BLOCKS)));
			case 2 -> source.notIpBlocks(values(random, (r) -> pick(r, BLOCKS)));
			case 3 -> source.notRemoteIpBlocks(values(random, (r) -> pick(r, BLOCKS)));
			default -> {
			}
		}
		return source.build();
	}

	private static String principal(Random random) {
		String issuer = pick(random, ISSUERS);
		String subject = pick(random, SUBJECTS);
		return switch (random.nextInt(12)) {
			case 0 -> "*";
			case 1 -> issuer + "/*";
			case 2 -> "*/" + subject;
			case 3 -> issuer + "/" + (subject.isEmpty() ? "" : subject.substring(0, 1)) + "*";
			case 4 -> issuer;
			case 5 -> "*" + subject;
			default -> issuer + "/" + subject;
		};
	}

	private static Operation randomOperation(Random random) {
		Operation.Builder operation = Operation.builder();
		switch (random.nextInt(11)) {
			case 0 -> operation.paths(pick(random, PATHS));
			case 1 -> operation.paths("/api/*");
			case 2 -> operation.methods(random.nextBoolean() ? "GET" : "POST");
			case 3 -> operation.notMethods("DELETE");
			case 4 -> operation.hosts("httpbin.foo:8000", "*.bar");
			case 5, 6 -> operation.hosts(values(random, (r) -> pick(r, HOSTS)));
			case 7 -> operation.notHosts(values(random, (r) -> pick(r, HOSTS)));
			case 8 -> operation.paths(values(random, (r) -> pick(r, SUFFIX_PATHS)));
			case 9 -> operation.ports(values(random, (r) -> pick(r, PORTS)));
			default -> operation.notPorts(values(random, (r) -> pick(r, PORTS)));
		}
		return operation.build();
	}

	private static Condition randomCondition(Random random) {
		if (random.nextInt(4) == 0) {
			return connectionCondition(random);
		}
		boolean header = random.nextBoolean();
		String key = header ? "request.headers[" + pick(random, HEADER_NAMES) + "]" : pick(random, CLAIM_KEYS);
		if (!header && random.nextInt(6) == 0) {
			key = "request.auth.principal";
		}
		String finalKey = key;
		java.util.function.Function<Random, String> value = switch (key) {
			case "request.auth.principal" -> IndexedDecisionTests::principal;
			default -> (r) -> wildcarded(r, header ? pick(r, HEADER_VALUES) : pick(r, CLAIM_VALUES));
		};
		int kind = random.nextInt(6);
		List<String> values = (kind < 5) ? List.of(values(random, value)) : List.of();
		List<String> notValues = (kind >= 3) ? List.of(values(random, value)) : List.of();
		return new Condition(finalKey, values, notValues);
	}

	/** A condition on an address, the port or the SNI. */
	private static Condition connectionCondition(Random random) {
		String key = pick(random, "source.ip", "remote.ip", "destination.ip", "destination.port", "connection.sni");
		java.util.function.Function<Random, String> value = switch (key) {
			case "destination.port" -> (r) -> pick(r, PORTS);
			case "connection.sni" -> (r) -> wildcarded(r, pick(r, "httpbin.foo", "api.bar"));
			default -> (r) -> pick(r, BLOCKS);
		};
		boolean negated = random.nextInt(3) == 0;
		List<String> values = List.of(values(random, value));
		return negated ? new Condition(key, List.of(), values) : new Condition(key, values, List.of());
	}

	/** Mostly exact, sometimes a wildcard or presence (§3.6). */
	private static String wildcarded(Random random, String value) {
		return switch (random.nextInt(10)) {
			case 0 -> "*";
			case 1 -> value.isEmpty() ? "*" : value.substring(0, 1) + "*";
			case 2 -> "*" + value;
			default -> value;
		};
	}

	private static String[] values(Random random, java.util.function.Function<Random, String> value) {
		String[] values = new String[weighted(random, 0, 6, 3, 1)];
		for (int i = 0; i < values.length; i++) {
			values[i] = value.apply(random);
		}
		return values;
	}

	private static TestRequest randomRequest(Random random) {
		TestRequest request = TestRequest.request(pick(random, "GET", "POST", "get"), pick(random, PATHS));
		int headers = random.nextInt(4);
		for (int i = 0; i < headers; i++) {
			request.header(pick(random, "x-tenant", "X-TENANT", "x-role", "x-other"), pick(random, HEADER_VALUES));
		}
		if (random.nextInt(4) != 0) {
			request.claims(randomClaims(random));
		}
		request.host((random.nextInt(10) == 0) ? null : pick(random, REQUEST_HOSTS));
		request.port(Integer.parseInt(pick(random, PORTS)));
		request.sourceIp(pick(random, ADDRESSES));
		if (random.nextBoolean()) {
			request.remoteIp(pick(random, ADDRESSES));
		}
		if (random.nextBoolean()) {
			request.sni(pick(random, "httpbin.foo", "api.bar", "other"));
		}
		return request;
	}

	private static Map<String, Object> randomClaims(Random random) {
		Map<String, Object> claims = new LinkedHashMap<>();
		switch (random.nextInt(8)) {
			case 0 -> claims.put("iss", 42);
			case 1 -> {
			}
			default -> claims.put("iss", pick(random, ISSUERS));
		}
		switch (random.nextInt(8)) {
			case 0 -> claims.put("sub", List.of("alice"));
			case 1 -> {
			}
			default -> claims.put("sub", pick(random, SUBJECTS));
		}
		claims.put("groups", claimValue(random));
		claims.put("aud", claimValue(random));
		claims.put("azp", claimValue(random));
		if (random.nextInt(4) != 0) {
			Map<String, Object> realm = new LinkedHashMap<>();
			realm.put("roles", claimValue(random));
			claims.put("realm", realm);
		}
		else {
			claims.put("realm", claimValue(random));
		}
		claims.values().removeIf((v) -> v == ABSENT);
		return claims;
	}

	private static final Object ABSENT = new Object();

	/** A string, a list mixing strings and other values, a number, or nothing. */
	private static Object claimValue(Random random) {
		return switch (random.nextInt(6)) {
			case 0 -> ABSENT;
			case 1 -> 7;
			case 2, 3 -> {
				List<Object> list = new ArrayList<>();
				int size = random.nextInt(4);
				for (int i = 0; i < size; i++) {
					list.add((random.nextInt(5) == 0) ? Boolean.TRUE : pick(random, CLAIM_VALUES));
				}
				yield list;
			}
			default -> pick(random, CLAIM_VALUES);
		};
	}

	/** A count drawn with the given weights for 0, 1, 2, ... */
	private static int weighted(Random random, int... weights) {
		int total = 0;
		for (int weight : weights) {
			total += weight;
		}
		int draw = random.nextInt(total);
		for (int i = 0; i < weights.length; i++) {
			draw -= weights[i];
			if (draw < 0) {
				return i;
			}
		}
		return weights.length - 1;
	}

	@SafeVarargs
	private static <T> T pick(Random random, T... values) {
		return values[random.nextInt(values.length)];
	}

}
