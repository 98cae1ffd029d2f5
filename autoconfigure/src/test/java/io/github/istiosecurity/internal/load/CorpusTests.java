package io.github.istiosecurity.internal.load;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the loader over the corpus in the test resources ({@code istio-corpus/}, see its
 * README for origin and licence): Istio's own documents with Istio's verdict,
 * hand-written invalid documents and documents that look wrong but that Istio accepts.
 * New files are picked up automatically.
 */
class CorpusTests {

	/** The start of Istio's warning about a DENY rule with only HTTP attributes. */
	private static final String DENY_HTTP_ONLY = "configured AuthorizationPolicy will deny all traffic to TCP ports";

	private static final Pattern EXPECTATION = Pattern.compile("report (\\S+):(\\d+) field (\\S+):");

	private final PolicyLoader loader = new PolicyLoader(LoaderSettings.withDefaultNamespace("default"));

	@TestFactory
	Stream<DynamicTest> istioDocumentsGetIstiosVerdictAtTheSameLineAndField() throws IOException {
		Path dir = corpus().resolve("istio");
		List<String> rows = Files.readAllLines(dir.resolve("INDEX.tsv"));
		return rows.stream().skip(1).filter((row) -> !row.isBlank()).map((row) -> {
			String[] columns = row.split("\t", -1);
			String file = columns[0];
			String verdict = columns[3];
			return DynamicTest.dynamicTest(verdict + " " + file, () -> {
				Path path = dir.resolve(file);
				switch (verdict) {
					case "valid" -> assertThat(load(path).warnings()).as("warnings of %s", file).isEmpty();
					case "warning" -> {
						if (columns[6].startsWith(DENY_HTTP_ONLY)) {
							// Istio's warning for a sidecar's TCP ports, which do not
							// exist in-process: not shown
							assertThat(load(path).warnings()).as("warnings of %s", file)
								.noneMatch((warning) -> warning.message().startsWith(DENY_HTTP_ONLY));
						}
						else {
							assertThat(load(path).warnings()).anySatisfy(
									(warning) -> assertProblemAt(warning, Integer.parseInt(columns[4]), columns[5]));
						}
					}
					case "invalid" -> assertRejected(path, Integer.parseInt(columns[4]), columns[5]);
					default -> fail("unknown verdict " + verdict + " for " + file);
				}
			});
		});
	}

	@TestFactory
	Stream<DynamicTest> invalidDocumentsAreRejectedAtTheLineAndFieldOfTheirComment() throws IOException {
		return yamlFiles(corpus().resolve("invalid")).map((path) -> DynamicTest.dynamicTest(name(path), () -> {
			String comment = Files.readAllLines(path).get(0);
			Matcher matcher = EXPECTATION.matcher(comment);
			assertThat(matcher.find()).as("expectation comment of %s", name(path)).isTrue();
			assertRejected(path, Integer.parseInt(matcher.group(2)), matcher.group(3));
		}));
	}

	@TestFactory
	Stream<DynamicTest> acceptedPitfallsLoad() throws IOException {
		return yamlFiles(corpus().resolve("accepted-pitfalls"))
			.map((path) -> DynamicTest.dynamicTest(name(path), () -> assertThat(load(path).policies()).isNotEmpty()));
	}

	private LoadResult load(Path path) {
		return this.loader.load(new FileSystemResource(path));
	}

	private void assertRejected(Path path, int line, String field) {
		PolicyLoadException ex = catchThrowableOfType(PolicyLoadException.class, () -> load(path));
		assertThat(ex).as("%s must be rejected", name(path)).isNotNull();
		assertThat(ex.getMessage()).contains(name(path));
		assertThat(ex.problems()).anySatisfy((problem) -> assertProblemAt(problem, line, field));
	}

	private static void assertProblemAt(PolicyProblem problem, int line, String field) {
		assertThat(problem.line()).isEqualTo(line);
		if (!field.equals(PolicyProblem.NO_FIELD)) {
			assertThat(problem.field()).isEqualTo(field);
		}
	}

	private static Stream<Path> yamlFiles(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter((path) -> name(path).endsWith(".yaml") || name(path).endsWith(".yml"))
				.sorted()
				.toList()
				.stream();
		}
	}

	private static String name(Path path) {
		return path.getFileName().toString();
	}

	static Path corpus() {
		URL index = CorpusTests.class.getResource("/istio-corpus/istio/INDEX.tsv");
		if (index == null) {
			fail("The corpus is missing from the test classpath: src/test/resources/istio-corpus");
		}
		try {
			return Path.of(index.toURI()).getParent().getParent();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
