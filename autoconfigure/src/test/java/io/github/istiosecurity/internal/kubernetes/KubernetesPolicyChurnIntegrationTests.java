package io.github.istiosecurity.internal.kubernetes;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.istiosecurity.internal.web.servlet.ServletRequestView;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.Condition;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.Rule;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Policies churn while requests flow in parallel threads.
 *
 * <p>
 * One ALLOW object, {@code churn}, has {@value #RULES} rules; version {@code v} of it
 * lets a request through rule {@code i} only when its {@code x-version} header is
 * {@code v} (rules are OR'ed, §3.5). A set that held rules of two versions (half applied)
 * would let through the headers of both. Two checks would see it: the endpoint answers
 * with the versions of every rule of the set that decided the request (the one the filter
 * read once), which must all equal the request's header; and across threads, once a
 * version was seen in force, a request started later must never pass with an older one.
 */
@SpringBootTest(classes = { EchoApplication.class, KubernetesPolicyChurnIntegrationTests.Cluster.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.kubernetes.enabled=true", "istio.security.workload.labels.app=httpbin",
				"istio.security.reload.interval=1h" })
class KubernetesPolicyChurnIntegrationTests {

	static final int RULES = 8;

	static final MockApiServer api = new MockApiServer();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		api.apply(churn(0));
	}

	@AfterAll
	static void stopApi() {
		api.close();
	}

	@Test
	void noRequestIsDecidedByAHalfAppliedSet() throws Exception {
		Http http = new Http(this.port);
		AtomicLong written = new AtomicLong(0);
		AtomicLong seenInForce = new AtomicLong(0);
		AtomicBoolean done = new AtomicBoolean();
		AtomicInteger allowed = new AtomicInteger();
		AtomicInteger denied = new AtomicInteger();
		Set<Long> versionsSeen = Collections.synchronizedSet(new TreeSet<>());
		ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		List<Future<?>> clients = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			clients.add(threads.submit(() -> {
				while (!done.get()) {
					long floor = seenInForce.get();
					long version = ThreadLocalRandom.current().nextBoolean() ? written.get() : floor;
					HttpResponse<String> response = http.get("/churn", "x-version", Long.toString(version));
					if (response.statusCode() == 200) {
						allowed.incrementAndGet();
						versionsSeen.add(version);
						String expected = (Long.toString(version) + ",").repeat(RULES);
						if (!response.body().equals(expected)) {
							violations.add("x-version " + version + " decided by rules of versions " + response.body());
						}
						if (version < floor) {
							violations.add("x-version " + version + " passed after version " + floor + " was in force");
						}
						seenInForce.accumulateAndGet(version, Math::max);
					}
					else {
						assertThat(response.statusCode()).isEqualTo(403);
						denied.incrementAndGet();
					}
				}
				return null;
			}));
		}
		for (int version = 1; version <= 30; version++) {
			api.apply(churn(version));
			written.set(version);
			long applied = version;
			// the next write once this one is in force, so that every version is served
			// for a while
			await().atMost(Duration.ofSeconds(10)).until(() -> seenInForce.get() >= applied);
		}
		done.set(true);
		for (Future<?> client : clients) {
			client.get();
		}
		threads.shutdown();
		assertThat(violations).isEmpty();
		assertThat(versionsSeen).hasSizeGreaterThanOrEqualTo(30);
		assertThat(allowed.get()).isGreaterThan(100);
		System.out.println("churn: " + allowed + " allowed, " + denied + " denied, versions " + versionsSeen.size());
	}

	/**
	 * A measurement, not an assertion: from the API write to the first request decided by
	 * the new set, over 50 changes. Printed and written to
	 * {@code target/k8s-propagation.txt}.
	 */
	@Test
	void propagationLatencyFromTheApiWriteToTheFirstRequestDecidedByTheNewSet() throws IOException {
		Http http = new Http(this.port);
		List<Long> micros = new ArrayList<>();
		for (int change = 1; change <= 50; change++) {
			String path = "/anything/latency-" + change;
			assertThat(http.get(path).statusCode()).isEqualTo(200);
			long start = System.nanoTime();
			api.apply(KubernetesPolicySourceIntegrationTests.deny("foo", "latency", null, path));
			while (http.get(path).statusCode() != 403) {
				// request until the new set decides
			}
			micros.add((System.nanoTime() - start) / 1000);
		}
		api.delete("AuthorizationPolicy", "foo", "latency");
		Collections.sort(micros);
		double median = (micros.get(24) + micros.get(25)) / 2000.0;
		double max = micros.get(49) / 1000.0;
		String report = String.format("k8s propagation over 50 changes: median %.1f ms, p90 %.1f ms, max %.1f ms",
				median, micros.get(44) / 1000.0, max);
		System.out.println(report);
		Files.writeString(Path.of("target", "k8s-propagation.txt"), report + System.lineSeparator());
		assertThat(micros).hasSize(50);
	}

	static String churn(long version) {
		StringBuilder rules = new StringBuilder();
		for (int i = 0; i < RULES; i++) {
			rules.append("  - to: [{operation: {paths: [\"/churn\"]}}]\n")
				.append("    when: [{key: \"request.headers[x-version]\", values: [\"")
				.append(version)
				.append("\"]}]\n");
		}
		return """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: churn, namespace: foo}
				spec:
				  rules:
				""" + rules + """
				  - to: [{operation: {paths: ["/anything/*"]}}]
				""";
	}

	@Configuration(proxyBeanMethods = false)
	static class Cluster {

		@Bean(destroyMethod = "close")
		KubernetesClient kubernetesClient() {
			return api.client("foo");
		}

		@Bean
		ChurnEndpoint churnEndpoint() {
			return new ChurnEndpoint();
		}

	}

	/**
	 * Answers with the version of every churn rule of the set that decided the request.
	 */
	@RestController
	static class ChurnEndpoint {

		@GetMapping("/churn")
		String churn(HttpServletRequest request) {
			ServletRequestView view = ServletRequestView.of(request);
			StringBuilder versions = new StringBuilder();
			for (IstioPolicy policy : view.policies().compiled().appliedPolicies()) {
				if (policy instanceof AuthorizationPolicy authorization && policy.metadata().name().equals("churn")) {
					for (Rule rule : authorization.rules()) {
						for (Condition condition : rule.when()) {
							versions.append(String.join("|", condition.values())).append(',');
						}
					}
				}
			}
			return versions.toString();
		}

	}

}
