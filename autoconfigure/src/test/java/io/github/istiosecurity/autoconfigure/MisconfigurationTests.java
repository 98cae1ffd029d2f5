package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.istiosecurity.internal.load.PolicyProblem;
import io.github.istiosecurity.internal.runtime.MisconfigurationException;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.runtime.PolicyRuntimeListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mistakes after which every request would be allowed: each is one WARN line naming
 * its cause, a fatal start-up failure with {@code istio.security.require-policies}, a
 * refused reload that keeps the last good set, and quiet on reloads with the same cause.
 */
@ExtendWith(OutputCaptureExtension.class)
class MisconfigurationTests {

	private static final String REQUIRE_JWT = """
			apiVersion: security.istio.io/v1
			kind: AuthorizationPolicy
			metadata: {name: require-jwt, namespace: foo}
			spec:
			  selector:
			    matchLabels: {app: %s}
			  rules:
			  - from: [{source: {requestPrincipals: ["*"]}}]
			""";

	private static final String NO_AUTHORIZATION_POLICY = "No AuthorizationPolicy applies to this workload";

	private static final Pattern WARN_LINE = Pattern.compile(".*?\\bWARN\\b.*?(?: : | -- )(.*)");

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IstioSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.reload.enabled=false");

	@Test
	void aMistypedNamespaceIsAWarningThatListsThePoliciesSeen(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		this.runner
			.withPropertyValues(locations(), "istio.security.workload.namespace=fo",
					"istio.security.workload.labels.app=httpbin")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(warnings(output, NO_AUTHORIZATION_POLICY)).containsExactly(NO_AUTHORIZATION_POLICY
						+ " (namespace \"fo\", labels {app=httpbin}): loaded foo/require-jwt (namespace foo, selector "
						+ "{app=httpbin}); check istio.security.workload.namespace and istio.security.workload.labels "
						+ "against the policies' namespace and selector");
			});
	}

	@Test
	void aLabelThatMatchesNothingIsAWarning(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		this.runner
			.withPropertyValues(locations(), "istio.security.workload.namespace=foo",
					"istio.security.workload.labels.app=httpbn")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(warnings(output, NO_AUTHORIZATION_POLICY)).singleElement()
					.asString()
					.startsWith(NO_AUTHORIZATION_POLICY + " (namespace \"foo\", labels {app=httpbn}): loaded "
							+ "foo/require-jwt (namespace foo, selector {app=httpbin});");
			});
	}

	@Test
	void aLocationWithNoFileIsAWarningThatNamesIt(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		String missing = "file:" + this.dir + "/policies/*.yaml";
		this.runner
			.withPropertyValues("istio.security.policy-locations=file:" + this.dir + "/*.yaml," + missing,
					"istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(PolicyRuntime.class).current().compiled().appliedPolicies()).hasSize(1);
				assertThat(warnings(output, "Policy location")).containsExactly(
						"Policy location " + missing + " matches no file; check istio.security.policy-locations");
				assertThat(warnings(output, "No ")).isEmpty();
			});
	}

	@Test
	void noPolicyAtAllIsAWarningThatNamesTheLocationsRead(CapturedOutput output) {
		this.runner.withPropertyValues(locations()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(warnings(output, "No Istio policy"))
				.containsExactly("No Istio policy of any kind was loaded " + "(read file:" + this.dir
						+ "/*.yaml): every request is allowed; check " + "istio.security.policy-locations");
		});
	}

	@Test
	void policiesOfOtherKindsThatApplyToNoneAreListedWithTheirKind(CapturedOutput output) {
		write("jwt.yaml", """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt, namespace: foo}
				spec:
				  jwtRules: [{issuer: "https://issuer.example.com", jwks: '{"keys": []}'}]
				""");
		this.runner.withPropertyValues(locations(), "istio.security.workload.namespace=fo").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(warnings(output, "No ")).containsExactly("No Istio policy of any kind applies to this workload "
					+ "(namespace \"fo\", labels {}): loaded RequestAuthentication foo/jwt (namespace foo, "
					+ "no selector) " + "(read file:" + this.dir
					+ "/*.yaml); check istio.security.workload.namespace and " + "istio.security.workload.labels");
		});
	}

	@Test
	void theDefaultLocationMayMatchNothingButNoPolicyIsStillReported(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(warnings(output, "Policy location")).isEmpty();
			assertThat(warnings(output, "No Istio policy")).singleElement()
				.asString()
				.contains("(read classpath*:istio/*.yaml)");
		});
	}

	@Test
	void aPolicyThatAppliesIsQuiet(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		// with the RequestAuthentication its requestPrincipals need, so that lint has
		// nothing to say either
		write("jwt.yaml", """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  jwtRules: [{issuer: "https://idp.example.com", jwks: '{"keys":[]}'}]
				""");
		this.runner
			.withPropertyValues(locations(), "istio.security.require-policies=true",
					"istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(warnings(output, "")).isEmpty();
			});
	}

	@Test
	void withRequiredPoliciesAMistypedNamespaceStopsStartUp() {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		assertStartUpFails(this.runner.withPropertyValues(locations(), "istio.security.workload.namespace=fo",
				"istio.security.workload.labels.app=httpbin"), NO_AUTHORIZATION_POLICY + " (namespace \"fo\"");
	}

	@Test
	void withRequiredPoliciesALabelThatMatchesNothingStopsStartUp() {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		assertStartUpFails(this.runner.withPropertyValues(locations(), "istio.security.workload.namespace=foo",
				"istio.security.workload.labels.app=httpbn"), "labels {app=httpbn}");
	}

	@Test
	void withRequiredPoliciesALocationWithNoFileStopsStartUp() {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		String missing = "file:" + this.dir + "/policies/*.yaml";
		assertStartUpFails(
				this.runner.withPropertyValues(
						"istio.security.policy-locations=file:" + this.dir + "/*.yaml," + missing,
						"istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin"),
				"Policy location " + missing + " matches no file");
	}

	@Test
	void withRequiredPoliciesNoPolicyAtAllStopsStartUp() {
		assertStartUpFails(this.runner, "No Istio policy of any kind was loaded (read classpath*:istio/*.yaml)");
	}

	@Test
	void theFailureAnalyzerIsRegisteredAndExplainsTheFailedStartUp(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		SpringApplicationBuilder application = new SpringApplicationBuilder(Minimal.class).web(WebApplicationType.NONE)
			.properties("istio.security.require-policies=true", "istio.security.reload.enabled=false", locations(),
					"istio.security.workload.namespace=fo", "spring.main.banner-mode=off");
		assertThatThrownBy(application::run).hasRootCauseInstanceOf(MisconfigurationException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Istio security policies are required (istio.security.require-policies=true), but this problem "
					+ "leaves the workload unprotected:")
			.contains(NO_AUTHORIZATION_POLICY + " (namespace \"fo\", labels {})")
			.contains("Set 'istio.security.require-policies=false' to start with a warning instead.");
	}

	@Test
	void withRequiredPoliciesAReloadThatWouldLeaveTheWorkloadUnprotectedKeepsTheLastGoodSet(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		this.runner
			.withPropertyValues(locations(), "istio.security.require-policies=true",
					"istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin")
			.run((context) -> {
				PolicyRuntime runtime = context.getBean(PolicyRuntime.class);
				List<List<PolicyProblem>> rejections = new CopyOnWriteArrayList<>();
				runtime.addListener(new PolicyRuntimeListener() {

					@Override
					public void rejected(List<PolicyProblem> problems) {
						rejections.add(problems);
					}

				});
				write("require-jwt.yaml", REQUIRE_JWT.formatted("other"));
				assertThat(runtime.reloadIfChanged()).isFalse();
				assertThat(runtime.current().generation()).isEqualTo(1);
				assertThat(runtime.current().compiled().appliedPolicies()).singleElement()
					.satisfies((policy) -> assertThat(policy.selector().matchLabels()).containsEntry("app", "httpbin"));
				assertThat(rejections).singleElement()
					.satisfies((problems) -> assertThat(problems).singleElement()
						.asString()
						.contains(NO_AUTHORIZATION_POLICY + " (namespace \"foo\", labels {app=httpbin})"));
				assertThat(output).contains("Policy change rejected (istio.security.require-policies); the last good "
						+ "policies (generation 1) stay in force");
				// the same refused content is not read again; a fix is applied
				assertThat(runtime.reloadIfChanged()).isFalse();
				assertThat(rejections).hasSize(1);
				write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin").replace("require-jwt", "require-jwt-2"));
				assertThat(runtime.reloadIfChanged()).isTrue();
				assertThat(runtime.current().generation()).isEqualTo(2);
			});
	}

	@Test
	void aWarningRepeatsOnlyWhenItsCauseChanges(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin"));
		this.runner
			.withPropertyValues(locations(), "istio.security.workload.namespace=foo",
					"istio.security.workload.labels.app=httpbn")
			.run((context) -> {
				PolicyRuntime runtime = context.getBean(PolicyRuntime.class);
				assertThat(warnings(output, NO_AUTHORIZATION_POLICY)).hasSize(1);
				assertThat(runtime.reload()).isTrue();
				assertThat(runtime.reload()).isTrue();
				assertThat(runtime.current().generation()).isEqualTo(3);
				assertThat(warnings(output, NO_AUTHORIZATION_POLICY)).hasSize(1);
				// another cause: warned again, once
				write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin-v2"));
				assertThat(runtime.reload()).isTrue();
				assertThat(runtime.reload()).isTrue();
				assertThat(warnings(output, NO_AUTHORIZATION_POLICY)).hasSize(2)
					.last()
					.asString()
					.contains("selector {app=httpbin-v2}");
				// fixed, then broken again as before: the returning cause is new again
				write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbn"));
				assertThat(runtime.reload()).isTrue();
				assertThat(warnings(output, NO_AUTHORIZATION_POLICY)).hasSize(2);
				write("require-jwt.yaml", REQUIRE_JWT.formatted("httpbin-v2"));
				assertThat(runtime.reload()).isTrue();
				assertThat(warnings(output, NO_AUTHORIZATION_POLICY)).hasSize(3);
			});
	}

	private void assertStartUpFails(ApplicationContextRunner runner, String cause) {
		runner.withPropertyValues("istio.security.require-policies=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(MisconfigurationException.class);
			FailureAnalysis analysis = new MisconfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription())
				.startsWith("Istio security policies are required (istio.security.require-policies=true)")
				.contains(cause);
			assertThat(analysis.getAction()).contains("istio.security.workload.namespace")
				.contains("istio.security.policy-locations")
				.contains("istio.security.require-policies=false");
		});
	}

	private String locations() {
		return "istio.security.policy-locations=file:" + this.dir + "/*.yaml";
	}

	/**
	 * The messages of the WARN lines that contain the fragment, in order; the message
	 * follows " : " (Spring Boot's console pattern, once a test started an application)
	 * or " -- " (Logback's default).
	 */
	static List<String> warnings(CapturedOutput output, String fragment) {
		return output.toString()
			.lines()
			.map(WARN_LINE::matcher)
			.filter(Matcher::matches)
			.map((line) -> line.group(1))
			.filter((message) -> message.contains(fragment))
			.toList();
	}

	private void write(String name, String content) {
		try {
			Path file = this.dir.resolve(name);
			Files.writeString(file, content);
			// file systems with coarse timestamps: make every write visible to the
			// fingerprint
			Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusMillis(System.nanoTime() % 1000)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(IstioSecurityAutoConfiguration.class)
	static class Minimal {

	}

}
