package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.istiosecurity.autoconfigure.MisconfigurationTests.warnings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy lint through the runtime: WARN lines
 * {@code Policy lint: file:line: field: message} at start-up and on reloads that bring a
 * new cause, the peer-identity check following {@code server.ssl.client-auth}, Istio's
 * DENY-rule warning for TCP ports left out, and decisions that stay Istio's.
 */
@ExtendWith(OutputCaptureExtension.class)
class PolicyLintIntegrationTests {

	private static final String LINT = "Policy lint: ";

	private static final String REQUIRE_JWT = """
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
			""";

	private static final String PEERS = """
			apiVersion: security.istio.io/v1
			kind: AuthorizationPolicy
			metadata: {name: from-sleep, namespace: foo}
			spec:
			  selector:
			    matchLabels: {app: httpbin}
			  rules:
			  - from:
			    - source:
			        principals: ["cluster.local/ns/foo/sa/sleep"]
			""";

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IstioSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.reload.enabled=false", "istio.security.workload.namespace=foo",
				"istio.security.workload.labels.app=httpbin");

	@Test
	void aRequestPrincipalWithoutRequestAuthenticationIsAWarningWithFileLineAndField(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT);
		this.runner.withPropertyValues(locations()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(warnings(output, LINT)).containsExactly(LINT + "file:" + this.dir.toRealPath()
					+ "/require-jwt.yaml:10: spec.rules[0].from[0].source.requestPrincipals: AuthorizationPolicy "
					+ "foo/require-jwt: requestPrincipals: no RequestAuthentication applies to this workload, so no "
					+ "request has a request principal or JWT claims: requestPrincipals never matches");
			assertThat(context.getBean(PolicyRuntime.class).current().warnings()).singleElement()
				.satisfies((warning) -> assertThat(warning.line()).isEqualTo(10));
		});
	}

	@Test
	void peerIdentityFieldsAreAWarningUntilTheServerAuthenticatesTlsClients(CapturedOutput output) {
		write("peers.yaml", PEERS);
		this.runner.withPropertyValues(locations())
			.run((context) -> assertThat(warnings(output, LINT)).singleElement()
				.asString()
				.contains("peers.yaml:10: spec.rules[0].from[0].source.principals: AuthorizationPolicy foo/from-sleep: "
						+ "principals: no peer identity source is configured (TLS client authentication of this server: "
						+ "server.ssl.client-auth=want or need; or trusted proxies' istio.security.forwarded-client-cert), "
						+ "so no request has a peer identity: principals never matches"));
		this.runner.withPropertyValues(locations(), "server.ssl.bundle=mesh", "server.ssl.client-auth=need")
			.run((context) -> assertThat(warnings(output, LINT)).hasSize(1));
		this.runner
			.withPropertyValues(locations(), "server.ssl.bundle=mesh", "server.ssl.client-auth=want",
					"server.ssl.enabled=false")
			.run((context) -> assertThat(warnings(output, LINT)).hasSize(2));
		this.runner
			.withPropertyValues(locations(), "istio.security.forwarded-client-cert.enabled=true",
					"istio.security.forwarded-client-cert.trusted-proxies=10.0.0.0/8")
			.run((context) -> assertThat(warnings(output, LINT)).as("identities forwarded by trusted proxies")
				.hasSize(2));
	}

	@Test
	void istiosWarningAboutADenyRuleWithOnlyHttpAttributesIsNotShown(CapturedOutput output) {
		write("deny-get.yaml", """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: deny-get, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  action: DENY
				  rules:
				  - to: [{operation: {methods: ["GET"]}}]
				""");
		this.runner.withPropertyValues(locations()).run((context) -> {
			assertThat(context.getBean(PolicyRuntime.class).current().warnings()).isEmpty();
			assertThat(output).doesNotContain("TCP ports").doesNotContain(LINT);
		});
	}

	@Test
	void aReloadWithTheSameCauseDoesNotLogAgain(CapturedOutput output) {
		write("require-jwt.yaml", REQUIRE_JWT);
		this.runner.withPropertyValues(locations()).run((context) -> {
			PolicyRuntime runtime = context.getBean(PolicyRuntime.class);
			assertThat(warnings(output, LINT)).hasSize(1);
			assertThat(runtime.reload()).isTrue();
			assertThat(runtime.reload()).isTrue();
			assertThat(runtime.current().warnings()).hasSize(1);
			assertThat(warnings(output, LINT)).hasSize(1);
			// an edit elsewhere in the file moves the line, not the cause
			write("require-jwt.yaml", "# moved\n" + REQUIRE_JWT);
			assertThat(runtime.reload()).isTrue();
			assertThat(runtime.current().warnings()).singleElement()
				.satisfies((warning) -> assertThat(warning.line()).isEqualTo(11));
			assertThat(warnings(output, LINT)).hasSize(1);
			// a new cause is logged once
			write("require-jwt.yaml", REQUIRE_JWT.replace("[\"*\"]", "[\"*\"]\n        principals: [\"*\"]"));
			assertThat(runtime.reload()).isTrue();
			assertThat(runtime.reload()).isTrue();
			assertThat(warnings(output, LINT)).hasSize(2).last().asString().contains("principals never matches");
			// gone, then back: new again
			write("require-jwt.yaml", REQUIRE_JWT);
			assertThat(runtime.reload()).isTrue();
			write("require-jwt.yaml", REQUIRE_JWT.replace("[\"*\"]", "[\"*\"]\n        principals: [\"*\"]"));
			assertThat(runtime.reload()).isTrue();
			assertThat(warnings(output, LINT)).hasSize(3);
		});
	}

	@Test
	void anApplicationLogsTheLintAtStartUpAndItsDecisionsStayIstios(CapturedOutput output) throws IOException {
		write("policies.yaml", """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata:
				  name: shadow-allow
				  namespace: foo
				  annotations: {istio.io/dry-run: "true"}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  rules:
				  - to: [{operation: {paths: ["/headers"]}}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: deny-202, namespace: foo}
				spec:
				  selector:
				    matchLabels: {app: httpbin}
				  action: DENY
				  rules:
				  - to: [{operation: {paths: ["/status/../admin", "/status/202"]}}]
				""");
		SpringApplicationBuilder application = new SpringApplicationBuilder(EchoApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off", "istio.security.reload.enabled=false",
					locations(), "istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin");
		try (ConfigurableApplicationContext context = application.run()) {
			String file = "file:" + this.dir.toRealPath() + "/policies.yaml";
			assertThat(warnings(output, LINT)).containsExactly(
					LINT + file + ":6: metadata.annotations.istio.io/dry-run: AuthorizationPolicy foo/shadow-allow: "
							+ "every ALLOW policy that applies to this workload is dry-run (foo/shadow-allow): none is "
							+ "enforced, so no request is denied for want of an ALLOW match; their results are only "
							+ "logged",
					LINT + file + ":21: spec.rules[0].to[0].operation.paths[0]: AuthorizationPolicy foo/deny-202: "
							+ "paths value \"/status/../admin\" can never match: path normalization BASE "
							+ "(istio.security.path-normalization) makes a request path \"/status/../admin\" into "
							+ "\"/admin\", so no path the policies see is \"/status/../admin\"");
			assertThat(output).containsPattern("WARN .*" + java.util.regex.Pattern.quote(LINT + file + ":6:"));
			Http http = new Http(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
			// the dry-run ALLOW policy enforces nothing, and the DENY policy still denies
			// what it matches
			assertThat(http.get("/status/204").statusCode()).isEqualTo(204);
			assertThat(http.get("/status/202").statusCode()).isEqualTo(403);
		}
	}

	private String locations() {
		return "istio.security.policy-locations=file:" + this.dir + "/*.yaml";
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

}
