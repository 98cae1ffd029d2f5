package io.github.istiosecurity.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.authz.explain.PolicyExplainer;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.JwtSettings;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.internal.load.LoaderSettings;
import io.github.istiosecurity.internal.load.PolicyLoader;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.runtime.ResourcePolicySource;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.RemoteAddresses;
import io.github.istiosecurity.testsupport.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link PolicyCheck} on policies read from files, compiled and put in force by the real
 * runtime; tokens are signed with a real key and verified against the policy's inline key
 * set.
 */
class PolicyCheckTests {

	private static final String ISSUER = "https://idp.example.com";

	private static final ECKey KEY = Tokens.ecKey("k1");

	private static JwksKeySources keySources;

	private static PolicyCheck check;

	@BeforeAll
	static void policies() throws IOException {
		Path dir = Files.createTempDirectory("check");
		Files.writeString(dir.resolve("peers.yaml"), """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata: {name: httpbin, namespace: foo}
				spec:
				  selector: {matchLabels: {app: httpbin}}
				  portLevelMtls:
				    "9443": {mode: STRICT}
				""");
		Files.writeString(dir.resolve("policies.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt, namespace: foo}
				spec:
				  jwtRules:
				  - issuer: "%s"
				    jwks: '%s'
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: deny-admin, namespace: foo}
				spec:
				  action: DENY
				  rules:
				  - to: [{operation: {paths: ["/admin/*"]}}]
				    when: [{key: "request.auth.claims[groups]", notValues: ["admins"]}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: httpbin, namespace: foo}
				spec:
				  rules:
				  - from: [{source: {requestPrincipals: ["%1$s/alice"]}}]
				    to: [{operation: {methods: ["GET"]}}]
				  - to: [{operation: {paths: ["/public/*"]}}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata:
				  name: shadow
				  namespace: foo
				  annotations: {"istio.io/dry-run": "true"}
				spec:
				  action: DENY
				  rules:
				  - to: [{operation: {paths: ["/public/secret"]}}]
				""".formatted(ISSUER, new JWKSet(KEY.toPublicJWK()).toString()));
		Workload workload = new Workload("foo", Map.of("app", "httpbin"));
		PolicyCompiler compiler = new PolicyCompiler(workload, MeshSettings.DEFAULTS, Map.of());
		PolicyLoader loader = new PolicyLoader(LoaderSettings.withDefaultNamespace("foo"));
		JwtSettings settings = JwtSettings.defaults();
		keySources = new JwksKeySources(settings);
		PolicyRuntime runtime = new PolicyRuntime(
				List.of(new ResourcePolicySource(List.of("file:" + dir + "/*.yaml"), loader,
						new PathMatchingResourcePatternResolver())),
				compiler, keySources, new VerifiedTokenCache(100, settings), settings);
		runtime.start();
		InboundPipeline pipeline = new InboundPipeline(runtime, new PathNormalizer(PathNormalization.BASE),
				new RemoteAddresses(0));
		check = new PolicyCheck(pipeline, new PolicyExplainer(compiler));
	}

	@AfterAll
	static void close() {
		keySources.close();
	}

	@Test
	void allowedByRuleNamesPolicyAndRule() {
		CheckResult result = check.check(CheckRequest.builder().path("/get").principal(ISSUER + "/alice").build());
		assertThat(result.status()).isEqualTo(200);
		assertThat(result.allowed()).isTrue();
		assertThat(result.policy()).isEqualTo("foo/httpbin");
		assertThat(result.rule()).isZero();
		assertThat(result.action()).isEqualTo("ALLOW");
		assertThat(result.jwt()).isEqualTo("assumed");
		assertThat(result.requestPrincipal()).isEqualTo(ISSUER + "/alice");
		PolicyEvaluation allow = evaluation(result, "foo/httpbin");
		assertThat(allow.matched()).isTrue();
		assertThat(allow.why())
			.isEqualTo("rule 0 matched: to[0].operation (methods), from[0].source (requestPrincipals)");
	}

	@Test
	void defaultDenyExplainsEveryRule() {
		CheckResult result = check
			.check(CheckRequest.builder().method("POST").path("/post").principal(ISSUER + "/bob").build());
		assertThat(result.status()).isEqualTo(403);
		assertThat(result.body()).isEqualTo("RBAC: access denied");
		assertThat(result.policy()).isNull();
		assertThat(result.rule()).isNull();
		assertThat(result.action()).isEqualTo("NONE");
		assertThat(result.reason()).isEqualTo(
				"denied: 1 ALLOW policy applies to this workload and no rule of them matched; dry-run DENY would allow");
		assertThat(evaluation(result, "foo/httpbin").why())
			.isEqualTo("no rule matched. " + "rule 0: to[0].operation.methods [GET] did not match method \"POST\"; "
					+ "from[0].source.requestPrincipals [" + ISSUER + "/alice] did not match request principal \""
					+ ISSUER + "/bob\". " + "rule 1: to[0].operation.paths [/public/*] did not match path \"/post\".");
	}

	@Test
	void denyRuleNamesTheFailingConditionWithoutItsValue() {
		CheckResult result = check.check(CheckRequest.builder()
			.path("/admin/users")
			.principal(ISSUER + "/alice")
			.claim("groups", List.of("staff", "s3cr3t-group"))
			.build());
		assertThat(result.status()).isEqualTo(403);
		assertThat(result.policy()).isEqualTo("foo/deny-admin");
		assertThat(result.rule()).isZero();
		assertThat(result.action()).isEqualTo("DENY");
		assertThat(evaluation(result, "foo/deny-admin").why())
			.isEqualTo("rule 0 matched: to[0].operation (paths), when[0] request.auth.claims[groups]");
		CheckResult admin = check.check(CheckRequest.builder()
			.path("/admin/users")
			.principal(ISSUER + "/alice")
			.claim("groups", List.of("admins"))
			.build());
		assertThat(admin.allowed()).isTrue();
		assertThat(evaluation(admin, "foo/deny-admin").why()).isEqualTo("no rule matched. rule 0: "
				+ "when[0] request.auth.claims[groups] notValues [admins] matched claim groups (present, value not shown).");
		assertThat(result.explanation() + admin.explanation()).doesNotContain("s3cr3t-group").doesNotContain("staff");
	}

	@Test
	void tokenIsVerifiedLikeARealOne() {
		String token = Tokens.sign(KEY, Map.of("iss", ISSUER, "sub", "alice"));
		CheckResult result = check.check(CheckRequest.builder().path("/get").token(token).build());
		assertThat(result.allowed()).isTrue();
		assertThat(result.jwt()).isEqualTo("verified");
		assertThat(result.requestPrincipal()).isEqualTo(ISSUER + "/alice");
		String expired = Tokens.sign(KEY,
				Map.of("iss", ISSUER, "sub", "alice", "exp", Instant.now().minusSeconds(600)));
		CheckResult rejected = check.check(CheckRequest.builder().path("/get").token(expired).build());
		assertThat(rejected.status()).isEqualTo(401);
		assertThat(rejected.body()).isEqualTo("Jwt is expired");
		assertThat(rejected.jwt()).isEqualTo("rejected");
		assertThat(rejected.reason()).isEqualTo("JWT authentication rejected the token: Jwt is expired");
		assertThat(rejected.explanation() + rejected + result).doesNotContain(expired).doesNotContain(token);
	}

	@Test
	void dryRunPolicyReportsWhatItWouldDo() {
		CheckResult result = check.check(CheckRequest.builder().path("/public/secret").build());
		assertThat(result.allowed()).isTrue();
		assertThat(result.policy()).isEqualTo("foo/httpbin");
		assertThat(result.rule()).isEqualTo(1);
		assertThat(result.dryRun()).containsExactly("dry-run DENY policies would deny (foo/shadow rule 0)");
		PolicyEvaluation shadow = evaluation(result, "foo/shadow");
		assertThat(shadow.dryRun()).isTrue();
		assertThat(shadow.matched()).isTrue();
	}

	@Test
	void strictPortWithoutPeerIsRefusedAsARealRequest() {
		CheckResult anonymous = check.check(CheckRequest.builder().path("/public/x").port(9443).build());
		assertThat(anonymous.status()).isEqualTo(400);
		assertThat(anonymous.allowed()).isFalse();
		assertThat(anonymous.reason()).isEqualTo("PeerAuthentication STRICT applies to port 9443 and no peerPrincipal "
				+ "is given: " + InboundPipeline.MTLS_REQUIRED.body());
		CheckResult peer = check.check(CheckRequest.builder()
			.path("/public/x")
			.port(9443)
			.peerPrincipal("cluster.local/ns/sleep/sa/sleep")
			.build());
		assertThat(peer.status()).isEqualTo(200);
		assertThat(check.check(CheckRequest.builder().path("/public/x").build()).status()).as("another port")
			.isEqualTo(200);
	}

	@Test
	void pathIsNormalizedAndRefusedAsARealOne() {
		CheckResult result = check.check(CheckRequest.builder().path("/public/../admin/x?a=b").build());
		assertThat(result.path()).isEqualTo("/admin/x");
		assertThat(result.policy()).isEqualTo("foo/deny-admin");
		CheckResult parameter = check.check(CheckRequest.builder().path("/public/x;a=b").build());
		assertThat(parameter.status()).isEqualTo(400);
		assertThat(parameter.allowed()).isFalse();
		assertThat(parameter.action()).isEqualTo("NONE");
		assertThat(parameter.reason()).startsWith("path normalization refused the path: ");
	}

	@Test
	void principalOfAnIssuerWithoutRequestAuthenticationIsNoted() {
		CheckResult result = check.check(CheckRequest.builder().path("/get").principal("https://other/alice").build());
		assertThat(result.allowed()).isFalse();
		assertThat(result.notes()).containsExactly("no RequestAuthentication of this workload has the issuer "
				+ "\"https://other\": a real token of it would be rejected with 401 (Jwt issuer is not configured)");
	}

	@Test
	void contradictoryPrincipalAndClaimsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> check.check(CheckRequest.builder().principal(ISSUER + "/alice").claim("sub", "bob").build()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CheckRequest.builder().token("x").principal(ISSUER + "/alice").build());
	}

	private static PolicyEvaluation evaluation(CheckResult result, String name) {
		return result.evaluated()
			.stream()
			.filter((evaluation) -> evaluation.name().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
