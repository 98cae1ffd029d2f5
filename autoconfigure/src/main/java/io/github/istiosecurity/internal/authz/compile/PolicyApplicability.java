package io.github.istiosecurity.internal.authz.compile;

import java.util.Objects;

import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.PeerAuthentication;
import io.github.istiosecurity.model.WorkloadSelector;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a policy applies to a workload, as istiod attaches policies to a
 * sidecar (§1.3): same namespace or the root namespace, no {@code targetRef(s)}, and a
 * selector that is absent or a subset of the workload's labels.
 */
final class PolicyApplicability {

	private PolicyApplicability() {
	}

	/**
	 * Returns why the policy does not apply, or {@code null} when it does.
	 * @param policy the policy
	 * @param workload the workload
	 * @param mesh the mesh settings
	 * @return the reason it is ignored, or {@code null}
	 */
	static @Nullable String whyNotApplicable(IstioPolicy policy, Workload workload, MeshSettings mesh) {
		String namespace = namespaceOf(policy, workload);
		boolean inRoot = namespace.equals(mesh.rootNamespace());
		if (!namespace.equals(workload.namespace()) && !inRoot) {
			return "in namespace " + namespace + ", neither the workload's (" + workload.namespace()
					+ ") nor the root namespace (" + mesh.rootNamespace() + ")";
		}
		if (!policy.targetRefs().isEmpty()) {
			return "uses targetRefs, which attach only to gateways and waypoints";
		}
		WorkloadSelector selector = policy.selector();
		if (selector == null || selector.matchLabels().isEmpty()) {
			return null;
		}
		if (policy instanceof PeerAuthentication && inRoot) {
			return "a PeerAuthentication with a selector in the root namespace is ignored";
		}
		if (!selector.selects(workload.labels())) {
			return "selector " + selector.matchLabels() + " does not match the workload labels " + workload.labels();
		}
		return null;
	}

	/**
	 * Returns the policy's namespace; one without (built in code) belongs to the
	 * workload's namespace.
	 * @param policy the policy
	 * @param workload the workload
	 * @return the namespace
	 */
	static String namespaceOf(IstioPolicy policy, Workload workload) {
		return Objects.requireNonNullElse(policy.metadata().namespace(), workload.namespace());
	}

}
