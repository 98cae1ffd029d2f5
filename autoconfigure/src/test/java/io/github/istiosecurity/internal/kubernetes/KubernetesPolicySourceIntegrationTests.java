package io.github.istiosecurity.internal.kubernetes;

import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A servlet application whose policies come from a Kubernetes API server (fabric8's mock
 * server in CRUD mode, real HTTP, real watches): the workload from its pod, changes in
 * force while requests flow, invalid objects left out and reported, the root namespace
 * and selectors. The reload interval is an hour, so every change seen here was pushed by
 * the informers.
 */
@SpringBootTest(classes = { EchoApplication.class, KubernetesPolicySourceIntegrationTests.Cluster.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.kubernetes.enabled=true", "istio.security.kubernetes.pod-name=httpbin-1",
				"istio.security.reload.interval=1h" })
class KubernetesPolicySourceIntegrationTests {

	static final MockApiServer api = new MockApiServer();

	@LocalServerPort
	int port;

	@Autowired
	PolicyRuntime runtime;

	@Autowired
	KubernetesPolicySource source;

	@Autowired
	Workload workload;

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		api.pod("foo", "httpbin-1", Map.of("app", "httpbin", "version", "v1"));
		api.apply(allow("foo", "allow-anything", null, "/anything/*"));
		api.apply(deny("istio-system", "mesh-deny-admin", null, "/anything/admin"));
	}

	@AfterAll
	static void stopApi() {
		api.close();
	}

	@Test
	void workloadIsTheNamespaceOfTheClientAndTheLabelsOfThePod() {
		assertThat(this.workload).isEqualTo(new Workload("foo", Map.of("app", "httpbin", "version", "v1")));
	}

	@Test
	void policiesPresentAtStartUpAreInForceFromTheFirstRequest() {
		Http http = new Http(this.port);
		assertThat(http.get("/anything/start").statusCode()).isEqualTo(200);
		assertThat(http.get("/anything/admin").statusCode()).isEqualTo(403);
		assertThat(http.get("/public/start").statusCode()).isEqualTo(403);
	}

	@Test
	void createUpdateAndDeleteChangeTheDecisionsWhileRequestsFlow() {
		Http http = new Http(this.port);
		assertThat(http.get("/anything/crud-a").statusCode()).isEqualTo(200);

		api.apply(deny("foo", "deny-crud", null, "/anything/crud-a"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/crud-a").statusCode() == 403);
		assertThat(http.get("/anything/crud-b").statusCode()).isEqualTo(200);

		api.apply(deny("foo", "deny-crud", null, "/anything/crud-b"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/crud-b").statusCode() == 403);
		assertThat(http.get("/anything/crud-a").statusCode()).isEqualTo(200);

		api.delete("AuthorizationPolicy", "foo", "deny-crud");
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/crud-b").statusCode() == 200);
		assertThat(http.get("/anything/crud-a").statusCode()).isEqualTo(200);
	}

	@Test
	void anInvalidObjectIsReportedAndLeftOutWhileTheValidOnesStay() {
		Http http = new Http(this.port);
		api.apply("""
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: invalid-deny, namespace: foo}
				spec:
				  action: DENY
				  rules:
				  - to: [{operation: {paths: ["/anything/invalid"]}}]
				    when: [{key: request.path, values: ["/x"]}]
				""");
		api.apply(deny("foo", "deny-after-invalid", null, "/anything/after-invalid"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/after-invalid").statusCode() == 403);
		assertThat(this.source.invalidObjects()).containsOnlyKeys("AuthorizationPolicy foo/invalid-deny");
		assertThat(this.source.invalidObjects().get("AuthorizationPolicy foo/invalid-deny")).singleElement()
			.satisfies((problem) -> {
				assertThat(problem.resource()).isEqualTo("k8s:AuthorizationPolicy foo/invalid-deny");
				assertThat(problem.field()).isEqualTo("spec.rules[0].when[0].key");
			});
		// the invalid DENY is not enforced (istiod would not distribute it); the valid
		// ones are
		assertThat(http.get("/anything/invalid").statusCode()).isEqualTo(200);
		assertThat(http.get("/anything/admin").statusCode()).isEqualTo(403);

		api.apply(deny("foo", "invalid-deny", null, "/anything/invalid"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/invalid").statusCode() == 403);
		assertThat(this.source.invalidObjects()).isEmpty();
		api.delete("AuthorizationPolicy", "foo", "invalid-deny");
		api.delete("AuthorizationPolicy", "foo", "deny-after-invalid");
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/after-invalid").statusCode() == 200);
	}

	@Test
	void rootNamespaceAndSelectorsAreMatchedAgainstThePodLabels() {
		Http http = new Http(this.port);
		api.apply(deny("istio-system", "mesh-deny-httpbin", "app: httpbin", "/anything/sel-root"));
		api.apply(deny("istio-system", "mesh-deny-other-app", "app: other", "/anything/sel-root-other"));
		api.apply(deny("foo", "deny-v2", "version: v2", "/anything/sel-v2"));
		api.apply(deny("bar", "deny-other-namespace", null, "/anything/sel-bar"));
		api.apply(deny("foo", "deny-v1", "version: v1", "/anything/sel-v1"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/sel-v1").statusCode() == 403);
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/sel-root").statusCode() == 403);
		assertThat(http.get("/anything/sel-root-other").statusCode()).isEqualTo(200);
		assertThat(http.get("/anything/sel-v2").statusCode()).isEqualTo(200);
		assertThat(http.get("/anything/sel-bar").statusCode()).isEqualTo(200);
		assertThat(this.runtime.current().compiled().ignoredPolicies())
			.extracting((ignored) -> ignored.policy().qualifiedName())
			.contains("istio-system/mesh-deny-other-app", "foo/deny-v2")
			.doesNotContain("bar/deny-other-namespace");
		for (String[] object : new String[][] { { "istio-system", "mesh-deny-httpbin" },
				{ "istio-system", "mesh-deny-other-app" }, { "foo", "deny-v2" }, { "bar", "deny-other-namespace" },
				{ "foo", "deny-v1" } }) {
			api.delete("AuthorizationPolicy", object[0], object[1]);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/sel-v1").statusCode() == 200);
	}

	static String allow(String namespace, String name, String selector, String path) {
		return policy("ALLOW", namespace, name, selector, path);
	}

	static String deny(String namespace, String name, String selector, String path) {
		return policy("DENY", namespace, name, selector, path);
	}

	private static String policy(String action, String namespace, String name, String selector, String path) {
		return """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: %s, namespace: %s}
				spec:
				  %s
				  action: %s
				  rules:
				  - to: [{operation: {paths: ["%s"]}}]
				""".formatted(name, namespace, (selector != null) ? "selector: {matchLabels: {" + selector + "}}" : "",
				action, path);
	}

	@Configuration(proxyBeanMethods = false)
	static class Cluster {

		@Bean(destroyMethod = "close")
		KubernetesClient kubernetesClient() {
			return api.client("foo");
		}

	}

}
