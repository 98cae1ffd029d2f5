package io.github.istiosecurity.internal.kubernetes;

import java.util.Map;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.istiosecurity.internal.authz.compile.Workload;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the workload (§0.2) from the cluster: the namespace the client is configured
 * for (the service account's namespace file, {@code KUBERNETES_NAMESPACE} or
 * {@code spring.cloud.kubernetes.client.namespace}) and the labels of this application's
 * pod, read once at start-up. Explicitly configured values win over each.
 */
public final class KubernetesWorkloadResolver {

	private static final Log logger = LogFactory.getLog(KubernetesWorkloadResolver.class);

	private final KubernetesClient client;

	private final Function<String, @Nullable String> environment;

	/**
	 * Creates a resolver.
	 * @param client the client
	 * @param environment reads environment variables ({@code POD_NAME}, {@code HOSTNAME})
	 */
	public KubernetesWorkloadResolver(KubernetesClient client, Function<String, @Nullable String> environment) {
		this.client = client;
		this.environment = environment;
	}

	/**
	 * Resolves the workload.
	 * @param explicitNamespace the configured namespace, or {@code null} to take the
	 * client's
	 * @param explicitLabels the configured labels, or {@code null} to read the pod's
	 * @param podName the pod name, or {@code null} for {@code POD_NAME}, then
	 * {@code HOSTNAME}
	 * @return the workload
	 * @throws IllegalStateException if the labels are not configured and the pod cannot
	 * be read
	 */
	public Workload resolve(@Nullable String explicitNamespace, @Nullable Map<String, String> explicitLabels,
			@Nullable String podName) {
		String namespace = (explicitNamespace != null) ? explicitNamespace : clientNamespace();
		if (explicitLabels != null) {
			return new Workload(namespace, explicitLabels);
		}
		String pod = (podName != null) ? podName : podNameFromEnvironment();
		if (pod == null) {
			throw new IllegalStateException("Cannot tell which pod this is to read its labels: set "
					+ "'istio.security.kubernetes.pod-name' (or POD_NAME), or 'istio.security.workload.labels.*'");
		}
		Pod found;
		try {
			found = this.client.pods().inNamespace(namespace).withName(pod).get();
		}
		catch (KubernetesClientException ex) {
			throw new IllegalStateException("Cannot read pod " + namespace + "/" + pod + " for its labels (does the "
					+ "service account may 'get' pods?): " + ex.getMessage(), ex);
		}
		if (found == null) {
			throw new IllegalStateException("Pod " + namespace + "/" + pod + " not found; set "
					+ "'istio.security.kubernetes.pod-name' or 'istio.security.workload.labels.*'");
		}
		Map<String, String> labels = (found.getMetadata().getLabels() != null) ? found.getMetadata().getLabels()
				: Map.of();
		logger.info("Workload from pod " + namespace + "/" + pod + ": labels " + labels);
		return new Workload(namespace, labels);
	}

	private String clientNamespace() {
		String namespace = this.client.getNamespace();
		return (namespace != null && !namespace.isEmpty()) ? namespace : "default";
	}

	private @Nullable String podNameFromEnvironment() {
		String name = this.environment.apply("POD_NAME");
		if (name == null || name.isEmpty()) {
			name = this.environment.apply("HOSTNAME");
		}
		return (name == null || name.isEmpty()) ? null : name;
	}

}
