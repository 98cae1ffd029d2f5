package io.github.istiosecurity.internal.kubernetes;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * fabric8's Kubernetes mock server in CRUD mode over real HTTP on loopback, which can be
 * stopped and started again on the same port with the same objects (an API server
 * outage). Writes go through a client of its own, as {@code kubectl} would.
 */
final class MockApiServer implements AutoCloseable {

	private final KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher();

	private final int port;

	private KubernetesMockServer server;

	private final KubernetesClient admin;

	MockApiServer() {
		this.server = newServer();
		this.server.start(InetAddress.getLoopbackAddress(), 0);
		this.port = this.server.getPort();
		this.admin = client("default");
	}

	private KubernetesMockServer newServer() {
		return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), this.dispatcher, false);
	}

	/**
	 * A client as an application would have it: its namespace is the pod's, and it
	 * reconnects quickly.
	 */
	KubernetesClient client(String namespace) {
		Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + this.port)
			.withNamespace(namespace)
			.withWatchReconnectInterval(100)
			.withRequestRetryBackoffLimit(1)
			.withRequestRetryBackoffInterval(50)
			.build();
		return new KubernetesClientBuilder().withConfig(config).build();
	}

	void stop() {
		this.server.shutdown();
	}

	void restart() {
		this.server = newServer();
		this.server.start(InetAddress.getLoopbackAddress(), this.port);
	}

	void pod(String namespace, String name, Map<String, String> labels) {
		Pod pod = new PodBuilder().withNewMetadata()
			.withNamespace(namespace)
			.withName(name)
			.withLabels(labels)
			.endMetadata()
			.build();
		this.admin.pods().inNamespace(namespace).resource(pod).create();
	}

	/**
	 * Creates or replaces the object of a YAML manifest.
	 */
	GenericKubernetesResource apply(String yaml) {
		GenericKubernetesResource object = this.admin.getKubernetesSerialization()
			.unmarshal(yaml, GenericKubernetesResource.class);
		return this.admin.genericKubernetesResources(context(object))
			.inNamespace(object.getMetadata().getNamespace())
			.resource(object)
			.createOr(NonDeletingOperation::update);
	}

	void delete(String kind, String namespace, String name) {
		this.admin.genericKubernetesResources(resource(kind).context("v1"))
			.inNamespace(namespace)
			.withName(name)
			.delete();
	}

	private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context(
			GenericKubernetesResource object) {
		String version = object.getApiVersion().substring(object.getApiVersion().indexOf('/') + 1);
		return resource(object.getKind()).context(version);
	}

	private static PolicyResource resource(String kind) {
		for (PolicyResource resource : PolicyResource.values()) {
			if (resource.kind().equals(kind)) {
				return resource;
			}
		}
		throw new IllegalArgumentException(kind);
	}

	@Override
	public void close() {
		this.admin.close();
		this.server.shutdown();
	}

}
