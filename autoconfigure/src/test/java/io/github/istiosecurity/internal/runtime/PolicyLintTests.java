package io.github.istiosecurity.internal.runtime;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.load.LoaderSettings;
import io.github.istiosecurity.internal.load.PolicyLoader;
import io.github.istiosecurity.internal.load.PolicyProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per lint warning, from YAML to the rendered {@code file:line: field: message},
 * against the workload {@code foo} with labels {@code app=httpbin, version=v1}.
 */
class PolicyLintTests {

	private static final Workload WORKLOAD = new Workload("foo", Map.of("app", "httpbin", "version", "v1"));

	private final PolicyLoader loader = new PolicyLoader(LoaderSettings.withDefaultNamespace("foo"));

	@Test
	void aPolicyWithoutSelectorAppliesToItsWholeNamespace() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: deny-admin, namespace: foo}
				spec:
				  action: DENY
				  rules:
				  - to: [{operation: {paths: ["/admin*"]}}]
				""")).containsExactly("t.yaml:4: spec: AuthorizationPolicy foo/deny-admin: no selector: it applies to "
				+ "every workload in namespace foo");
	}

	@Test
	void aPolicyWithoutSelectorInTheRootNamespaceAppliesToTheWholeMesh() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata: {name: default, namespace: istio-system}
				spec:
				  mtls: {mode: STRICT}
				""")).containsExactly("t.yaml:4: spec: PeerAuthentication istio-system/default: no selector: it is in "
				+ "the root namespace istio-system and applies to every workload of the mesh");
	}

	@Test
	void aPolicyOfAnotherNamespaceOrWithAMatchingSelectorIsQuiet() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: elsewhere, namespace: bar}
				spec:
				  rules: [{}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: mine, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin, version: v1}
				  rules: [{}]
				""")).isEmpty();
	}

	@Test
	void aSelectorThatMissesTheWorkloadsLabelsIsOneWarningNamingEachLabel() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: v2-only, namespace: foo}
				spec:
				  selector:
				    matchLabels:
				      app: httpbin
				      version: v2
				      tier: backend
				  rules: [{}]
				""")).containsExactly("t.yaml:9: spec.selector.matchLabels.tier: AuthorizationPolicy foo/v2-only: "
				+ "selector does not match this workload's labels {app=httpbin, version=v1} "
				+ "(istio.security.workload.labels): tier=backend (missing), version=v2 (the workload has "
				+ "version=v1); this policy does not apply to this workload");
	}

	@Test
	void aSelectorOfAnotherWorkloadReadFromTheKubernetesApiIsNormal() {
		PolicyCompiler compiler = new PolicyCompiler(WORKLOAD, MeshSettings.DEFAULTS, Map.of());
		CompiledPolicies snapshot = compiler.compile(this.loader.parse("k8s:AuthorizationPolicy foo/reviews", """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: reviews, namespace: foo}
				spec:
				  selector: {matchLabels: {app: reviews}}
				  rules: [{}]
				""").policies());
		assertThat(PolicyLint.DEFAULT.check(snapshot, WORKLOAD, MeshSettings.DEFAULTS)).isEmpty();
	}

	@Test
	void aSelectorInTheRootNamespaceIsCheckedButOneInAnotherNamespaceIsNot() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt, namespace: istio-system}
				spec:
				  selector:
				    matchLabels: {app: httpbn}
				  jwtRules: [{issuer: "https://idp.example.com"}]
				---
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt, namespace: bar}
				spec:
				  selector:
				    matchLabels: {app: httpbn}
				  jwtRules: [{issuer: "https://idp.example.com"}]
				""")).containsExactly("t.yaml:6: spec.selector.matchLabels.app: RequestAuthentication "
				+ "istio-system/jwt: selector does not match this workload's labels {app=httpbin, version=v1} "
				+ "(istio.security.workload.labels): app=httpbn (the workload has app=httpbin); this policy does "
				+ "not apply to this workload");
	}

	@Test
	void requestPrincipalsAndRequestAuthConditionsWithoutAnyJwtRuleNeverMatch() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: require-jwt, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  rules:
				  - from:
				    - source:
				        requestPrincipals: ["*"]
				  - when:
				    - key: request.auth.claims[groups]
				      values: ["admin"]
				  - from:
				    - source:
				        notRequestPrincipals: ["*"]
				""")).containsExactly(
				"t.yaml:10: spec.rules[0].from[0].source.requestPrincipals: AuthorizationPolicy "
						+ "foo/require-jwt: requestPrincipals: no RequestAuthentication applies to this workload, "
						+ "so no request has a request principal or JWT claims: requestPrincipals never matches",
				"t.yaml:12: spec.rules[1].when[0].key: AuthorizationPolicy foo/require-jwt: when "
						+ "request.auth.claims[groups]: no RequestAuthentication applies to this workload, so no "
						+ "request has a request principal or JWT claims: its values never match",
				"t.yaml:16: spec.rules[2].from[0].source.notRequestPrincipals: AuthorizationPolicy "
						+ "foo/require-jwt: notRequestPrincipals: no RequestAuthentication applies to this "
						+ "workload, so no request has a request principal or JWT claims: every request "
						+ "satisfies notRequestPrincipals");
	}

	@Test
	void aRequestPrincipalWhoseIssuerNoJwtRuleHasNeverMatches() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  jwtRules: [{issuer: "https://idp.example.com"}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: principals, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  rules:
				  - from:
				    - source:
				        requestPrincipals:
				        - https://idp.example.com/alice
				        - https://idp.example.org/bob
				        - "*/carol"
				        - https://*.example.com/dave
				        - "*"
				  - when:
				    - key: request.auth.principal
				      values: ["https://idp.example.org/erin"]
				""")).containsExactly(
				"t.yaml:20: spec.rules[0].from[0].source.requestPrincipals[1]: AuthorizationPolicy "
						+ "foo/principals: requestPrincipals value \"https://idp.example.org/bob\" names issuer "
						+ "\"https://idp.example.org\", which no RequestAuthentication that applies to this "
						+ "workload has (issuers: https://idp.example.com): no request principal ever has it",
				"t.yaml:26: spec.rules[1].when[0].values[0]: AuthorizationPolicy foo/principals: when "
						+ "request.auth.principal value \"https://idp.example.org/erin\" names issuer "
						+ "\"https://idp.example.org\", which no RequestAuthentication that applies to this "
						+ "workload has (issuers: https://idp.example.com): no request principal ever has it");
	}

	@Test
	void peerIdentitiesWithoutClientCertificateAuthenticationNeverMatchOncePerPolicy() {
		String yaml = """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: peers, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  rules:
				  - from:
				    - source:
				        principals: ["cluster.local/ns/foo/sa/sleep"]
				        notNamespaces: ["bar"]
				  - when:
				    - key: source.namespace
				      values: ["foo"]
				""";
		assertThat(lint(yaml)).containsExactly("t.yaml:10: spec.rules[0].from[0].source.principals: "
				+ "AuthorizationPolicy foo/peers: principals: no peer identity source is configured (TLS client "
				+ "authentication of this server: server.ssl.client-auth=want or need; or trusted proxies' "
				+ "istio.security.forwarded-client-cert), so no request has a peer identity: principals never matches "
				+ "(and 2 more places in this policy)");
		assertThat(lint(yaml, new PolicyLint(new PathNormalizer(PathNormalization.BASE), true))).isEmpty();
	}

	@Test
	void aHostWithAPortMatchesOnlyAHostHeaderWithThatPort() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: hosts, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  rules:
				  - to:
				    - operation:
				        hosts:
				        - example.com:8080
				        - api.example.com
				        - api.example.com:*
				        - "[::1]:8443"
				        - "::1"
				        notHosts:
				        - admin.example.com:*
				""")).containsExactly(
				"t.yaml:11: spec.rules[0].to[0].operation.hosts[0]: AuthorizationPolicy foo/hosts: hosts value "
						+ "\"example.com:8080\" has a port: the Host header is matched as received, so only "
						+ "requests whose Host carries port 8080 match (a client sending \"Host: example.com\" "
						+ "does not); list \"example.com\" as well if it is meant",
				"t.yaml:14: spec.rules[0].to[0].operation.hosts[3]: AuthorizationPolicy foo/hosts: hosts value "
						+ "\"[::1]:8443\" has a port: the Host header is matched as received, so only requests "
						+ "whose Host carries port 8443 match (a client sending \"Host: [::1]\" does not); list "
						+ "\"[::1]\" as well if it is meant",
				"t.yaml:17: spec.rules[0].to[0].operation.notHosts[0]: AuthorizationPolicy foo/hosts: notHosts "
						+ "value \"admin.example.com:*\" has a port: the Host header is matched as received, so "
						+ "only requests whose Host carries a port match (a client sending \"Host: "
						+ "admin.example.com\" does not); list \"admin.example.com\" as well if it is meant");
	}

	@ParameterizedTest(name = "{0} under {1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					/api/../admin  | BASE                     | path normalization BASE (istio.security.path-normalization) makes a request path "/api/../admin" into "/admin", so no path the policies see is "/api/../admin"
					/a/./b*        | BASE                     | path normalization BASE (istio.security.path-normalization) makes a request path "/a/./b..." into "/a/b...", so no path the policies see starts with "/a/./b"
					/%7Euser       | BASE                     | path normalization BASE (istio.security.path-normalization) makes a request path "/%7Euser" into "/~user", so no path the policies see is "/%7Euser"
					/a//b          | MERGE_SLASHES            | path normalization MERGE_SLASHES (istio.security.path-normalization) makes a request path "/a//b" into "/a/b", so no path the policies see is "/a//b"
					/files/%2Fetc* | DECODE_AND_MERGE_SLASHES | path normalization DECODE_AND_MERGE_SLASHES (istio.security.path-normalization) makes a request path "/files/%2Fetc..." into "/files/etc...", so no path the policies see starts with "/files/%2Fetc"
					/search?q=1    | NONE                     | paths are matched without the query string and fragment, so no request path contains '?'
					admin          | BASE                     | every request path starts with '/'
					*\\admin       | BASE                     | path normalization BASE (istio.security.path-normalization) turns every '\\' of a request path into '/'
					/caf\u00e9     | NONE                     | a request with this path is refused (400) before authorization; characters outside '!'..'~' arrive percent-encoded
					""")
	void aPathThatNormalizationRulesOutCanNeverMatch(String value, PathNormalization normalization, String reason) {
		assertThat(lint(paths(value), new PolicyLint(new PathNormalizer(normalization), false)))
			.containsExactly("t.yaml:11: spec.rules[0].to[0].operation.paths[0]: AuthorizationPolicy foo/paths: paths "
					+ "value \"" + value + "\" can never match: " + reason);
	}

	@ParameterizedTest(name = "{0} under {1}")
	@CsvSource(delimiter = '|', textBlock = """
			/api/*          | DECODE_AND_MERGE_SLASHES
			/a//b           | BASE
			/files/%2Fetc   | MERGE_SLASHES
			/caf%C3%A9      | BASE
			/api/.well-kn*  | BASE
			/api/.*         | BASE
			/a%2*           | BASE
			/{*}/../x       | BASE
			*.php           | BASE
			*               | BASE
			/a/../b         | NONE
			""")
	void aPathThatARequestCanHaveIsQuiet(String value, PathNormalization normalization) {
		assertThat(lint(paths(value), new PolicyLint(new PathNormalizer(normalization), false))).isEmpty();
	}

	@Test
	void everyAllowPolicyBeingDryRunIsOneWarning() {
		String shadow = """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata:
				  name: shadow
				  namespace: foo
				  annotations:
				    istio.io/dry-run: "true"
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  rules: [{}]
				""";
		assertThat(lint(shadow)).containsExactly("t.yaml:7: metadata.annotations.istio.io/dry-run: "
				+ "AuthorizationPolicy foo/shadow: every ALLOW policy that applies to this workload is dry-run "
				+ "(foo/shadow): none is enforced, so no request is denied for want of an ALLOW match; their results "
				+ "are only logged");
		String enforced = shadow.replace("shadow", "enforced")
			.replace("    istio.io/dry-run: \"true\"\n", "")
			.replace("  annotations:\n", "");
		assertThat(lint(shadow + "---\n" + enforced)).isEmpty();
	}

	@Test
	void aDenyRuleWithOnlyHttpAttributesIsNotWarnedAbout() {
		assertThat(lint("""
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: deny-get, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  action: DENY
				  rules:
				  - to: [{operation: {methods: ["GET"]}}]
				""")).isEmpty();
	}

	@Test
	void aListItemIsNamedByItsPathInTheDocument() {
		assertThat(lint("""
				apiVersion: v1
				kind: List
				items:
				- apiVersion: security.istio.io/v1
				  kind: AuthorizationPolicy
				  metadata: {name: hosts, namespace: foo}
				  spec:
				    selector:
				      matchLabels: {app: httpbin}
				    rules:
				    - to: [{operation: {hosts: ["example.com:80"]}}]
				""")).singleElement()
			.asString()
			.startsWith("t.yaml:11: items[0].spec.rules[0].to[0].operation.hosts[0]: AuthorizationPolicy foo/hosts: "
					+ "hosts value \"example.com:80\"");
	}

	private static String paths(String value) {
		return """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: paths, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  rules:
				  - to:
				    - operation:
				        paths:
				        - '%s'
				""".formatted(value);
	}

	private List<String> lint(String yaml) {
		return lint(yaml, PolicyLint.DEFAULT);
	}

	private List<String> lint(String yaml, PolicyLint lint) {
		PolicyCompiler compiler = new PolicyCompiler(WORKLOAD, MeshSettings.DEFAULTS, Map.of());
		CompiledPolicies snapshot = compiler.compile(this.loader.parse("t.yaml", yaml).policies());
		return lint.check(snapshot, WORKLOAD, MeshSettings.DEFAULTS).stream().map(PolicyProblem::toString).toList();
	}

}
