package io.github.istiosecurity.internal.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Hostile YAML is refused quickly, in bounded memory, and never turned into Java objects.
 */
@Timeout(10)
class HostileYamlTests {

	private static final String HEADER = """
			apiVersion: security.istio.io/v1
			kind: AuthorizationPolicy
			metadata:
			  name: hostile
			  namespace: foo
			""";

	private final PolicyLoader loader = new PolicyLoader(LoaderSettings.defaults());

	@Test
	void billionLaughsIsRefusedBeforeItExpands() {
		String yaml = HEADER + """
				  annotations:
				    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
				    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
				    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
				    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
				    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
				    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
				    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
				spec:
				  rules:
				  - to:
				    - operation:
				        paths: *g
				""";
		long before = usedMemory();
		PolicyProblem problem = onlyProblem(yaml);
		assertThat(problem.line()).isEqualTo(8);
		assertThat(problem.message()).contains("excessive aliasing");
		// 9^7 strings would take gigabytes; composing stops after 50 aliases.
		assertThat(usedMemory() - before).isLessThan(256L * 1024 * 1024);
	}

	@Test
	void fewAliasesThatDoubleAtEveryLevelAreRefusedByTheExpansionBudget() {
		StringBuilder yaml = new StringBuilder(HEADER).append("  annotations:\n    l0: &l0 [\"x\", \"x\"]\n");
		for (int level = 1; level <= 24; level++) {
			yaml.append("    l")
				.append(level)
				.append(": &l")
				.append(level)
				.append(" [*l")
				.append(level - 1)
				.append(", *l")
				.append(level - 1)
				.append("]\n");
		}
		yaml.append("spec:\n  rules:\n  - to:\n    - operation:\n        paths: *l24\n");
		PolicyProblem problem = onlyProblem(yaml.toString());
		assertThat(problem.message()).contains("excessive aliasing");
	}

	@Test
	void recursiveAliasIsRefused() {
		String yaml = HEADER + "spec:\n  rules: &r\n  - to: *r\n";
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("r.yaml", yaml));
		assertThat(ex).isNotNull();
	}

	@Test
	void documentOverThreeMebibytesIsRefusedWhereItCrossesTheLimit() {
		StringBuilder yaml = new StringBuilder(HEADER)
			.append("spec:\n  rules:\n  - to:\n    - operation:\n        paths:\n");
		int lines = 6;
		while (yaml.length() < 5 * 1024 * 1024) {
			yaml.append("        - \"/a/very/long/path/that/repeats/").append(lines).append("\"\n");
			lines++;
		}
		PolicyProblem problem = onlyProblem(yaml.toString());
		assertThat(problem.message()).contains("3 MiB");
		String text = yaml.toString();
		int expectedLine = (int) text.substring(0, YamlDocumentReader.CODE_POINT_LIMIT)
			.chars()
			.filter((c) -> c == '\n')
			.count() + 1;
		assertThat(problem.line()).isEqualTo(expectedLine);
	}

	@Test
	void javaTypeTagIsRefusedAndNeverConstructed() {
		String yaml = HEADER
				+ """
						spec:
						  selector:
						    matchLabels:
						      app: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://127.0.0.1:1/"]]]]
						  rules:
						  - {}
						""";
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("tag.yaml", yaml));
		assertThat(ex.problems()).anySatisfy((problem) -> {
			assertThat(problem.line()).isEqualTo(9);
			assertThat(problem.field()).isEqualTo("spec.selector.matchLabels.app");
			assertThat(problem.message()).isEqualTo("global tag !!javax.script.ScriptEngineManager is not allowed");
		});
	}

	@Test
	void localTagIsRefused() {
		String yaml = HEADER + "spec:\n  action: !custom DENY\n  rules:\n  - {}\n";
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("tag.yaml", yaml));
		assertThat(ex.problems())
			.anySatisfy((problem) -> assertThat(problem.message()).isEqualTo("local tag !custom is not allowed"));
	}

	@Test
	void deepNestingIsRefused() {
		String yaml = HEADER + "spec:\n  rules: " + "[".repeat(200) + "]".repeat(200) + "\n";
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("deep.yaml", yaml));
		assertThat(ex).isNotNull();
	}

	private PolicyProblem onlyProblem(String yaml) {
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class,
				() -> this.loader.parse("hostile.yaml", yaml));
		assertThat(ex).isNotNull();
		assertThat(ex.problems()).hasSize(1);
		return ex.problems().get(0);
	}

	private static long usedMemory() {
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

}
