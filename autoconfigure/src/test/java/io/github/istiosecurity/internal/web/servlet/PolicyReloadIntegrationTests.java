package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.load.PolicyProblem;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.runtime.PolicyRuntimeListener;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live reload of policy files: a valid change is in force within the interval, an invalid
 * one is rejected and the last good policies stay.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.reload.interval=100ms" })
class PolicyReloadIntegrationTests {

	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	PolicyRuntime runtime;

	@Autowired
	JwksKeySources keySources;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		dir = Files.createTempDirectory("istio-reload");
		write("allow.yaml", allowOnly("/a"));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@Test
	void aValidChangeIsAppliedAndAnInvalidOneKeepsTheLastGoodPolicies() throws IOException {
		Http http = new Http(this.port);
		assertThat(http.get("/anything/b").statusCode()).isEqualTo(403);
		long generation = this.runtime.current().generation();

		write("allow.yaml", allowOnly("/anything/b"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/b").statusCode() == 200);
		assertThat(this.runtime.current().generation()).isEqualTo(generation + 1);

		List<List<PolicyProblem>> rejections = new CopyOnWriteArrayList<>();
		this.runtime.addListener(new PolicyRuntimeListener() {

			@Override
			public void rejected(List<PolicyProblem> problems) {
				rejections.add(problems);
			}

		});
		write("allow.yaml", allowOnly("/anything/b") + "    when: [{key: request.path, values: [\"/x\"]}]\n");
		await().atMost(Duration.ofSeconds(10)).until(() -> !rejections.isEmpty());
		assertThat(rejections.get(0)).singleElement()
			.satisfies((problem) -> assertThat(problem.toString()).contains("allow.yaml:7: spec.rules[0].when[0].key"));
		assertThat(this.runtime.current().generation()).isEqualTo(generation + 1);
		assertThat(http.get("/anything/b").statusCode()).isEqualTo(200);

		write("allow.yaml", allowOnly("/anything/c"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/c").statusCode() == 200);
		assertThat(http.get("/anything/b").statusCode()).isEqualTo(403);
	}

	@Test
	void aNewFileUnderThePatternIsPickedUp() throws IOException {
		Http http = new Http(this.port);
		write("deny.yaml", """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: deny-z}
				spec:
				  action: DENY
				  rules: [{to: [{operation: {paths: ["/anything/z"]}}]}]
				""");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.runtime.current()
				.compiled()
				.appliedPolicies()
				.stream()
				.anyMatch((policy) -> policy.metadata().name().equals("deny-z")));
		assertThat(http.get("/anything/z").statusCode()).isEqualTo(403);
		Files.delete(dir.resolve("deny.yaml"));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.runtime.current()
				.compiled()
				.appliedPolicies()
				.stream()
				.noneMatch((policy) -> policy.metadata().name().equals("deny-z")));
	}

	@Test
	void theKeySourceOfARemovedIssuerIsDropped() throws IOException {
		write("authn.yaml", """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - issuer: "https://gone.example.com"
				    jwksUri: "%s"
				""".formatted(JwksServer.closedPortUri()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.current().compiled().jwtRules().size() == 1);
		assertThat(this.keySources.sourceCount()).isEqualTo(1);
		Files.delete(dir.resolve("authn.yaml"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runtime.current().compiled().jwtRules().isEmpty());
		assertThat(this.keySources.sourceCount()).isZero();
	}

	private static String allowOnly(String path) {
		return """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: allow-one}
				spec:
				  rules:
				  - to: [{operation: {paths: ["%s"]}}]
				""".formatted(path);
	}

	private static void write(String name, String content) throws IOException {
		// written aside and moved in, as an editor or a ConfigMap update does: a reload
		// never reads half a file
		// (an empty file is a valid set of no policies, and would count as a generation
		// of its own)
		Path staged = dir.resolve(name + ".staged");
		Files.writeString(staged, content);
		// file systems with coarse timestamps: make every write visible to the
		// fingerprint
		Files.setLastModifiedTime(staged, FileTime.from(Instant.now().plusMillis(System.nanoTime() % 1000)));
		Files.move(staged, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

}
