package io.github.istiosecurity.internal.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One check of the schema or webhook layer per test; documents are {@code kind} +
 * {@code metadata} (lines 1-4) followed by {@code spec:} on line 5.
 */
class ValidationRulesTests {

	private final PolicyLoader loader = new PolicyLoader(LoaderSettings.defaults());

	@ParameterizedTest(name = "{0}: {3}")
	@CsvSource(delimiter = '|',
			textBlock = """
					request.auth.claims[]      | 8 | spec.rules[0].when[0].key    | bad key (request.auth.claims[]): should have format a[b]
					request.headers            | 8 | spec.rules[0].when[0].key    | bad key (request.headers): should have format a[b]
					request.path               | 8 | spec.rules[0].when[0].key    | unknown attribute: request.path
					destination.namespace      | 8 | spec.rules[0].when[0].key    | is replaced by the metadata.namespace
					destination.labels[app]    | 8 | spec.rules[0].when[0].key    | is replaced by the workload selector
					destination.user           | 8 | spec.rules[0].when[0].key    | only supported in v1alpha1
					source.ip                  | 9 | spec.rules[0].when[0].values | bad IP address (x)
					destination.port           | 9 | spec.rules[0].when[0].values | bad port (x)
					source.serviceAccount      | 9 | spec.rules[0].when[0].values | expected format
					""")
	void whenKeysAndValuesAreValidatedAsIstioDoes(String key, int line, String field, String message) {
		String value = key.equals("source.serviceAccount") ? "a/b/c" : "x";
		assertError(authz("  rules:\n  - when:\n    - key: " + key + "\n      values: [\"" + value + "\"]\n"), line,
				field, message);
	}

	@Test
	void knownWhenKeysAreAccepted() {
		load(authz("""
				  rules:
				  - when:
				    - key: request.auth.claims[groups][admin]
				      values: ["x"]
				    - key: experimental.envoy.filters.a.b[c]
				      notValues: ["y"]
				    - key: source.trustDomain
				      values: ["*.local"]
				    - key: connection.sni
				      values: ["*.example.com"]
				"""));
	}

	@Test
	void notValuesErrorsNameTheNotValuesField() {
		assertError(authz("  rules:\n  - when:\n    - key: remote.ip\n      notValues: [\"1.2.3.4/40\"]\n"), 9,
				"spec.rules[0].when[0].notValues",
				"invalid `notValue` for `key` remote.ip: bad CIDR range (1.2.3.4/40)");
	}

	@Test
	void customActionRejectsPrincipalsAndAuthConditions() {
		String spec = """
				  action: CUSTOM
				  provider:
				    name: ext
				  rules:
				  - from:
				    - source:
				        principals: ["a"]
				    when:
				    - key: request.auth.principal
				      values: ["x"]
				""";
		PolicyLoadException ex = rejected(authz(spec));
		assertThat(ex.problems()).extracting(PolicyProblem::field)
			.containsExactly("spec.rules[0].from[0].source.principals", "spec.rules[0].when[0].key");
	}

	@Test
	void providerIsOnlyForCustom() {
		assertError(authz("  provider:\n    name: ext\n"), 6, "spec.provider",
				"`provider` must not be with non CUSTOM action, found ALLOW");
	}

	@Test
	void denyWithoutRulesIsMeaningless() {
		assertError(authz("  action: DENY\n  rules: []\n"), 5, "spec", "DENY action without `rules` is meaningless");
	}

	@Test
	void emptySourceAndOperationAreRejected() {
		PolicyLoadException ex = rejected(
				authz("  rules:\n  - from:\n    - source: {}\n    to:\n    - operation: {}\n"));
		assertThat(ex.problems()).extracting(PolicyProblem::message)
			.containsExactly("`from.source` must not be empty, found at rule 0",
					"`to.operation` must not be empty, found at rule 0");
	}

	@Test
	void emptyValuesAreRejectedPerField() {
		assertError(authz("  rules:\n  - to:\n    - operation:\n        hosts: [\"\"]\n"), 9,
				"spec.rules[0].to[0].operation.hosts", "empty value not allowed, found in Hosts");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			*.local*      | at most one wildcard is allowed
			clu*ster      | wildcard is only allowed at the start or end
			a/b           | trust domain must not contain '/'
			""")
	void trustDomainsFollowIstiosWildcardRules(String value, String message) {
		assertError(authz("  rules:\n  - from:\n    - source:\n        trustDomains: [\"" + value + "\"]\n"), 9,
				"spec.rules[0].from[0].source.trustDomains", message);
	}

	@Test
	void moreThanSixteenServiceAccountsHitTheSchemaLimit() {
		String accounts = "\"a\", ".repeat(16) + "\"a\"";
		assertError(authz("  rules:\n  - from:\n    - source:\n        serviceAccounts: [" + accounts + "]\n"), 9,
				"spec.rules[0].from[0].source.serviceAccounts", "must have at most 16 items");
	}

	@Test
	void severalBadValuesOfOneFieldAreAllReported() {
		PolicyLoadException ex = rejected(
				authz("  rules:\n  - to:\n    - operation:\n        ports: [\"a\", \"-1\", \"65536\"]\n"));
		assertThat(ex.problems()).extracting(PolicyProblem::message)
			.containsExactly("bad port (a)", "bad port (-1)", "bad port (65536)");
	}

	@Test
	void denyRuleWithOnlyHttpAttributesIsNotWarnedAbout() {
		// Istio warns that such a rule denies all traffic to a sidecar's TCP ports; every
		// request here is HTTP
		assertThat(load(authz("  action: DENY\n  rules:\n  - to:\n    - operation:\n        paths: [\"/a\"]\n"))
			.warnings()).isEmpty();
		assertThat(
				load(authz("  action: DENY\n  rules:\n  - from:\n    - source:\n        requestPrincipals: [\"*\"]\n"))
					.warnings())
			.isEmpty();
	}

	@Test
	void selectorWithoutLabelsWarns() {
		assertThat(load(authz("  selector: {}\n")).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning)
				.hasToString("t.yaml:6: spec.selector: workload selector specified without labels"));
	}

	@Test
	void selectorAndTargetRefsAreExclusive() {
		assertError(
				authz("  selector:\n    matchLabels:\n      app: a\n  targetRefs:\n  - kind: Service\n    name: a\n"),
				5, "spec", "only one of targetRefs or selector can be set");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			500us   | spec.jwtRules[0].timeout: Invalid value: must be a valid duration greater than 1ms
			1500us  | only durations to ms precision are supported
			soon    | (not a duration)
			""")
	void jwtTimeoutsFollowGoDurations(String timeout, String message) {
		assertError(requestAuthn("  - issuer: a\n    timeout: " + timeout + "\n"), 8, "spec.jwtRules[0].timeout",
				message);
	}

	@Test
	void jwtRuleNeedsIssuerOrJwksUri() {
		assertError(requestAuthn("  - audiences: [\"a\"]\n"), 7, "spec.jwtRules[0]",
				"issuer or jwksUri must be non-empty string");
	}

	@Test
	void inlineJwksMustParse() {
		assertError(requestAuthn("  - issuer: a\n    jwks: '{\"keys\":[{\"kty\":\"RSA\"}]}'\n"), 8,
				"spec.jwtRules[0].jwks", "jwks parse error");
	}

	@Test
	void inlineJwksWithPrivateKeyWarnsWithoutShowingTheKey() {
		LoadResult result = load(
				requestAuthn("  - issuer: a\n    jwks: '{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0c2VjcmV0\"}]}'\n"));
		assertThat(result.warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.message()).isEqualTo(
					"jwks key at index 0 contains private key material; only public keys are used for verification");
			assertThat(warning.toString()).doesNotContain("c2VjcmV0c2VjcmV0");
		});
	}

	@Test
	void dryRunAnnotationIsOnlyForAuthorizationPolicies() {
		String yaml = """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata:
				  name: t
				  annotations:
				    istio.io/dry-run: "true"
				""";
		assertError(yaml, 6, "metadata.annotations.istio.io/dry-run", "has unsupported annotation istio.io/dry-run");
	}

	@Test
	void reservedAnnotationsAreRejected() {
		String yaml = authz("").replace("  name: t\n", "  name: t\n  annotations:\n    internal.istio.io/parents: x\n");
		assertError(yaml, 6, "metadata.annotations.internal.istio.io/parents", "may not be set by users");
	}

	@Test
	void peerAuthenticationPortLevelNeedsASelector() {
		String yaml = """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata:
				  name: t
				spec:
				  selector: {}
				  portLevelMtls:
				    8080:
				      mode: STRICT
				""";
		assertError(yaml, 5, "spec", "portLevelMtls requires selector");
	}

	@Test
	void stringsForBooleansAndNumbersForStringsAreTypeErrors() {
		assertError(requestAuthn("  - issuer: a\n    forwardOriginalToken: \"true\"\n"), 8,
				"spec.jwtRules[0].forwardOriginalToken", "must be of type boolean: \"string\"");
		assertError(authz("  rules:\n  - to:\n    - operation:\n        methods: [1.5]\n"), 9,
				"spec.rules[0].to[0].operation.methods[0]", "must be of type string: \"number\"");
		assertError(authz("  rules: ~\n"), 6, "spec.rules", "must be of type array: \"null\"");
	}

	private static String authz(String spec) {
		return "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: t\nspec:\n" + spec;
	}

	private static String requestAuthn(String rules) {
		return "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: t\nspec:\n  jwtRules:\n"
				+ rules;
	}

	private LoadResult load(String yaml) {
		return this.loader.parse("t.yaml", yaml);
	}

	private PolicyLoadException rejected(String yaml) {
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class, () -> load(yaml));
		assertThat(ex).as("rejection of%n%s", yaml).isNotNull();
		return ex;
	}

	private void assertError(String yaml, int line, String field, String message) {
		assertThat(rejected(yaml).problems()).anySatisfy((problem) -> {
			assertThat(problem.line()).isEqualTo(line);
			assertThat(problem.field()).isEqualTo(field);
			assertThat(problem.message()).contains(message);
		});
	}

}
