package io.github.istiosecurity.internal.kubernetes;

import java.time.Duration;

import io.fabric8.kubernetes.client.KubernetesClient;
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

import static io.github.istiosecurity.internal.kubernetes.KubernetesPolicySourceIntegrationTests.deny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API server goes away and comes back on the same address with the same objects:
 * while it is away the last set stays in force; afterwards the informers re-list and
 * watch again, and changes apply as before.
 */
@SpringBootTest(classes = { EchoApplication.class, KubernetesApiOutageIntegrationTests.Cluster.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.kubernetes.enabled=true", "istio.security.workload.labels.app=httpbin",
				"istio.security.reload.interval=1h" })
class KubernetesApiOutageIntegrationTests {

	static final MockApiServer api = new MockApiServer();

	@LocalServerPort
	int port;

	@Autowired
	KubernetesPolicySource source;

	@DynamicPropertySource
	static void cluster(DynamicPropertyRegistry registry) {
		api.apply(deny("foo", "deny-x", null, "/anything/x"));
	}

	@AfterAll
	static void stopApi() {
		api.close();
	}

	@Test
	void anOutageKeepsTheLastSetAndTheSourceResynchronisesAfterwards() {
		Http http = new Http(this.port);
		await().atMost(Duration.ofSeconds(10)).until(this.source::isWatching);
		assertThat(http.get("/anything/x").statusCode()).isEqualTo(403);

		api.stop();
		await().atMost(Duration.ofSeconds(20)).until(() -> !this.source.isWatching());
		assertThat(http.get("/anything/x").statusCode()).isEqualTo(403);
		assertThat(http.get("/anything/y").statusCode()).isEqualTo(200);

		api.restart();
		await().atMost(Duration.ofSeconds(30)).until(this.source::isWatching);
		assertThat(http.get("/anything/x").statusCode()).isEqualTo(403);
		api.apply(deny("foo", "deny-x", null, "/anything/y"));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/anything/y").statusCode() == 403);
		assertThat(http.get("/anything/x").statusCode()).isEqualTo(200);
		assertThat(this.source.invalidObjects()).isEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	static class Cluster {

		@Bean(destroyMethod = "close")
		KubernetesClient kubernetesClient() {
			return api.client("foo");
		}

	}

}
