package io.github.istiosecurity.internal.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.MtlsMode;
import io.github.istiosecurity.model.PeerAuthentication;
import io.github.istiosecurity.model.PolicyOrigin;
import io.github.istiosecurity.model.RequestAuthentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * YAML features and the public API of {@link PolicyLoader}.
 */
class PolicyLoaderTests {

	private static final String DENY_ALL = """
			apiVersion: security.istio.io/v1
			kind: AuthorizationPolicy
			metadata:
			  name: deny-all
			spec:
			  action: DENY
			  rules:
			  - {}
			""";

	private final PolicyLoader loader = new PolicyLoader(LoaderSettings.withDefaultNamespace("app"));

	@Test
	void emptyTextHasNoPolicies() {
		assertThat(this.loader.parse("empty.yaml", "").policies()).isEmpty();
		assertThat(this.loader.parse("comments.yaml", "# nothing\n---\n---\n").policies()).isEmpty();
	}

	@Test
	void multipleDocumentsAreReadInOrderWithTheirStartLines() {
		String yaml = DENY_ALL + "---\n" + DENY_ALL.replace("deny-all", "second") + "---\n";
		LoadResult result = this.loader.parse("multi.yaml", yaml);
		assertThat(result.policies()).extracting((policy) -> policy.metadata().name())
			.containsExactly("deny-all", "second");
		assertThat(result.policies().get(1).origin().line()).isEqualTo(10);
		assertThat(result.policies().get(1).origin().resource()).isEqualTo("multi.yaml");
	}

	@Test
	void listItemsAreEachAPolicy() {
		String yaml = """
				apiVersion: v1
				kind: List
				items:
				- apiVersion: security.istio.io/v1beta1
				  kind: PeerAuthentication
				  metadata:
				    name: strict
				    namespace: foo
				  spec:
				    mtls:
				      mode: STRICT
				- apiVersion: security.istio.io/v1
				  kind: AuthorizationPolicy
				  metadata:
				    name: allow-nothing
				""";
		LoadResult result = this.loader.parse("list.yaml", yaml);
		assertThat(result.policies()).hasSize(2);
		assertThat(((PeerAuthentication) result.policies().get(0)).mtls()).isEqualTo(MtlsMode.STRICT);
		assertThat(result.policies().get(1).origin().line()).isEqualTo(12);
	}

	@Test
	void listItemProblemsNameTheItem() {
		String yaml = "apiVersion: v1\nkind: List\nitems:\n- " + DENY_ALL.replace("\n", "\n  ").replace("DENY", "deny");
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("list.yaml", yaml));
		assertThat(ex.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.field()).isEqualTo("items[0].spec.action");
			assertThat(problem.line()).isEqualTo(9);
		});
	}

	@Test
	void missingNamespaceGetsTheDefaultOne() {
		assertThat(this.loader.parse("a.yaml", DENY_ALL).policies().get(0).metadata().namespace()).isEqualTo("app");
		PolicyLoader noDefault = new PolicyLoader(LoaderSettings.defaults());
		assertThat(noDefault.parse("a.yaml", DENY_ALL).policies().get(0).metadata().namespace()).isNull();
	}

	@Test
	void kubernetesObjectExtrasAreAcceptedAndTimestampKept() {
		String yaml = DENY_ALL.replace("  name: deny-all\n", """
				  name: deny-all
				  namespace: foo
				  uid: 0d5c0a1e-0000-0000-0000-000000000000
				  resourceVersion: "123"
				  generation: 2
				  creationTimestamp: "2024-05-01T10:00:00Z"
				  labels:
				    team: a
				  managedFields: []
				  finalizers: ["x"]
				""") + "status:\n  anything: [1, 2]\n";
		AuthorizationPolicy policy = (AuthorizationPolicy) this.loader.parse("k.yaml", yaml).policies().get(0);
		assertThat(policy.metadata().creationTimestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
		assertThat(policy.metadata().labels()).containsEntry("team", "a");
		assertThat(policy.action()).isEqualTo(Action.DENY);
	}

	@Test
	void nullCreationTimestampAsKubectlPrintsItIsAccepted() {
		String yaml = DENY_ALL.replace("  name: deny-all\n", "  name: deny-all\n  creationTimestamp: null\n");
		assertThat(this.loader.parse("k.yaml", yaml).policies().get(0).metadata().creationTimestamp()).isNull();
	}

	@Test
	void jwksUriProtoNameIsAnAliasOfJwksUri() {
		String yaml = """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata:
				  name: jwt
				spec:
				  jwtRules:
				  - issuer: https://issuer
				    jwks_uri: https://issuer/jwks
				    timeout: 1m30s
				    forwardOriginalToken: yes
				""";
		RequestAuthentication policy = (RequestAuthentication) this.loader.parse("ra.yaml", yaml).policies().get(0);
		assertThat(policy.jwtRules().get(0).jwksUri()).isEqualTo("https://issuer/jwks");
		assertThat(policy.jwtRules().get(0).timeout()).isEqualTo(Duration.ofSeconds(90));
		assertThat(policy.jwtRules().get(0).forwardOriginalToken()).isTrue();
	}

	@Test
	void integerMapKeysBecomeStrings() {
		String yaml = """
				apiVersion: security.istio.io/v1
				kind: PeerAuthentication
				metadata:
				  name: ports
				spec:
				  selector:
				    matchLabels:
				      app: a
				  portLevelMtls:
				    8080:
				      mode: DISABLE
				    "9090":
				      mode: STRICT
				""";
		PeerAuthentication policy = (PeerAuthentication) this.loader.parse("pa.yaml", yaml).policies().get(0);
		assertThat(policy.portLevelMtls()).isEqualTo(Map.of(8080, MtlsMode.DISABLE, 9090, MtlsMode.STRICT));
	}

	@Test
	void dryRunAnnotationIsReadAsAGoBoolean() {
		String yaml = DENY_ALL.replace("  name: deny-all\n",
				"  name: deny-all\n  annotations:\n    istio.io/dry-run: \"T\"\n");
		AuthorizationPolicy policy = (AuthorizationPolicy) this.loader.parse("d.yaml", yaml).policies().get(0);
		assertThat(policy.dryRun()).isTrue();
	}

	@Test
	void duplicateKeyNamesBothLines() {
		String yaml = DENY_ALL + "  action: ALLOW\n";
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("dup.yaml", yaml));
		assertThat(ex.problems()).singleElement()
			.hasToString("dup.yaml:9: spec.action: key \"action\" already set in map (duplicate key; first at line 6)");
	}

	@Test
	void mergeKeysAreHonoured() {
		String yaml = """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: &meta
				  name: base
				spec:
				  rules:
				  - to:
				    - operation: &op
				        methods: ["GET"]
				    - operation:
				        <<: *op
				        paths: ["/x"]
				""";
		AuthorizationPolicy policy = (AuthorizationPolicy) this.loader.parse("m.yaml", yaml).policies().get(0);
		assertThat(policy.rules().get(0).to().get(1).methods()).containsExactly("GET");
		assertThat(policy.rules().get(0).to().get(1).paths()).containsExactly("/x");
	}

	@Test
	void everyErrorOfEveryDocumentIsReportedAtOnce() {
		String yaml = DENY_ALL.replace("DENY", "deny") + "  rule: []\n---\n" + DENY_ALL.replace("deny-all", "Bad_Name");
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("all.yaml", yaml));
		assertThat(ex.problems()).extracting(PolicyProblem::field)
			.containsExactly("spec.action", "spec.rule", "metadata.name");
		assertThat(ex.getMessage()).contains("all.yaml:6: spec.action", "all.yaml:9: spec.rule",
				"all.yaml:14: metadata.name");
	}

	@Test
	void syntaxErrorStopsTheResourceButKeepsEarlierDocuments() {
		String yaml = DENY_ALL.replace("DENY", "deny") + "---\nkind: [\n";
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("s.yaml", yaml));
		assertThat(ex.problems()).extracting(PolicyProblem::line).containsExactly(6, 11);
	}

	@Test
	void warningsAreReturnedNotThrown() {
		String yaml = DENY_ALL.replace("spec:\n", "spec:\n  selector: {}\n");
		LoadResult result = this.loader.parse("w.yaml", yaml);
		assertThat(result.policies()).hasSize(1);
		assertThat(result.warnings()).singleElement().satisfies((warning) -> {
			assertThat(warning.severity()).isEqualTo(PolicyProblem.Severity.WARNING);
			assertThat(warning.field()).isEqualTo("spec.selector");
			assertThat(warning.line()).isEqualTo(6);
		});
	}

	@Test
	void theOriginKnowsTheLineOfEveryFieldForLaterChecks() {
		String yaml = DENY_ALL.replace("  - {}",
				"  - to:\n    - operation:\n        paths:\n        - /a\n        - /b");
		PolicyOrigin origin = this.loader.parse("w.yaml", yaml).policies().get(0).origin();
		assertThat(origin.lineOf("spec.rules[0].to[0].operation.paths[1]")).isEqualTo(12);
		assertThat(origin.lineOf("spec.rules[0].to[0].operation")).isEqualTo(9);
		assertThat(origin.lineOf("metadata.name")).isEqualTo(4);
		// a field that is not written falls back to its nearest written parent, then to
		// the document
		assertThat(origin.lineOf("spec.selector.matchLabels.app")).isEqualTo(5);
		assertThat(origin.lineOf("status")).isEqualTo(1);
		assertThat(origin.pathOf("spec.rules[0]")).isEqualTo("spec.rules[0]");
	}

	@Test
	void anItemOfAListKnowsItsPathInTheDocument() {
		String yaml = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: security.istio.io/v1\n"
				+ "  kind: AuthorizationPolicy\n  metadata: {name: a}\n  spec:\n    action: DENY\n    rules:\n    - {}\n";
		PolicyOrigin origin = this.loader.parse("l.yaml", yaml).policies().get(0).origin();
		assertThat(origin.pathOf("spec.rules[0]")).isEqualTo("items[0].spec.rules[0]");
		assertThat(origin.lineOf("spec.rules[0]")).isEqualTo(10);
	}

	@Test
	void loadAllReadsMatchingFilesInOrderAndSkipsLocationsThatMatchNothing(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("b.yaml"), DENY_ALL.replace("deny-all", "b"));
		Files.writeString(dir.resolve("a.yaml"), DENY_ALL.replace("deny-all", "a"));
		Files.writeString(dir.resolve("ignored.txt"), "not yaml");
		LoadResult result = this.loader.loadAll(
				List.of("file:" + dir + "/*.yaml", "file:" + dir + "/missing.yaml", "classpath*:no/such/dir/*.yaml"),
				new PathMatchingResourcePatternResolver());
		assertThat(result.policies()).extracting((policy) -> policy.metadata().name()).containsExactly("a", "b");
		assertThat(result.policies().get(0).origin().resource()).endsWith("a.yaml");
	}

	@Test
	void loadAllReportsTheErrorsOfAllResources(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("a.yaml"), DENY_ALL.replace("DENY", "deny"));
		Files.writeString(dir.resolve("b.yaml"), DENY_ALL.replace("DENY", "DENIED"));
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class, () -> this.loader
			.loadAll(List.of("file:" + dir + "/*.yaml"), new PathMatchingResourcePatternResolver()));
		assertThat(ex.problems()).extracting(PolicyProblem::resource)
			.satisfiesExactly((resource) -> assertThat(resource).endsWith("a.yaml"),
					(resource) -> assertThat(resource).endsWith("b.yaml"));
	}

}
