package io.github.istiosecurity.internal.kubernetes;

import java.net.ServerSocket;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.istiosecurity.autoconfigure.IstioKubernetesAutoConfiguration;
import io.github.istiosecurity.autoconfigure.IstioSecurityAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the Kubernetes source is on, and what start-up does when the API server does not
 * answer in time.
 */
class IstioKubernetesAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(IstioKubernetesAutoConfiguration.class, IstioSecurityAutoConfiguration.class));

	@Test
	void offOutsideKubernetesByDefault() {
		this.runner.withBean(KubernetesClient.class, () -> unreachableClient())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KubernetesPolicySource.class));
	}

	@Test
	void offWhenDisabledEvenInKubernetes() {
		this.runner.withBean(KubernetesClient.class, () -> unreachableClient())
			.withPropertyValues("spring.main.cloud-platform=kubernetes", "istio.security.kubernetes.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(KubernetesPolicySource.class));
	}

	@Test
	void startUpFailsClosedWhenThePoliciesAreNotListedWithinTheSyncTimeout() {
		this.runner.withBean(KubernetesClient.class, () -> unreachableClient())
			.withPropertyValues("spring.main.cloud-platform=kubernetes", "istio.security.workload.labels.app=httpbin",
					"istio.security.kubernetes.sync-timeout=1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(KubernetesPolicySyncException.class)
				.hasMessageContaining("within PT1S"));
	}

	private static KubernetesClient unreachableClient() {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + port)
			.withNamespace("foo")
			.withRequestRetryBackoffLimit(0)
			.build();
		return new KubernetesClientBuilder().withConfig(config).build();
	}

}
