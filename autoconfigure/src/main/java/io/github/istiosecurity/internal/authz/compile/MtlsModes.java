package io.github.istiosecurity.internal.authz.compile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.model.MtlsMode;
import io.github.istiosecurity.model.PeerAuthentication;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the effective mTLS mode of the workload and its ports from the applicable
 * PeerAuthentications (§4.3): the narrowest level wins (workload, then namespace, then
 * mesh), the oldest policy within a level, and {@code UNSET} inherits.
 */
final class MtlsModes {

	private MtlsModes() {
	}

	/**
	 * Resolves the effective modes.
	 * @param policies the applicable PeerAuthentications, oldest first
	 * @param workload the workload
	 * @param mesh the mesh settings
	 * @return the modes
	 */
	static PeerAuthenticationModes resolve(List<PeerAuthentication> policies, Workload workload, MeshSettings mesh) {
		PeerAuthentication meshLevel = null;
		PeerAuthentication namespaceLevel = null;
		PeerAuthentication workloadLevel = null;
		for (PeerAuthentication policy : policies) {
			boolean inRoot = PolicyApplicability.namespaceOf(policy, workload).equals(mesh.rootNamespace());
			boolean selects = policy.selector() != null && !policy.selector().matchLabels().isEmpty();
			if (inRoot && !selects) {
				meshLevel = oldest(meshLevel, policy);
			}
			else if (!inRoot && !selects) {
				namespaceLevel = oldest(namespaceLevel, policy);
			}
			else if (!inRoot) {
				workloadLevel = oldest(workloadLevel, policy);
			}
		}
		MtlsMode mode = MtlsMode.PERMISSIVE;
		for (PeerAuthentication level : new PeerAuthentication[] { meshLevel, namespaceLevel, workloadLevel }) {
			if (level != null && level.mtls() != MtlsMode.UNSET) {
				mode = level.mtls();
			}
		}
		Map<Integer, MtlsMode> ports = new HashMap<>();
		if (workloadLevel != null) {
			for (Map.Entry<Integer, MtlsMode> port : workloadLevel.portLevelMtls().entrySet()) {
				ports.put(port.getKey(), (port.getValue() == MtlsMode.UNSET) ? mode : port.getValue());
			}
		}
		return new PeerAuthenticationModes(mode, ports);
	}

	/**
	 * Policies arrive oldest first, so the first one seen at a level is the one that
	 * counts.
	 */
	private static PeerAuthentication oldest(@Nullable PeerAuthentication current, PeerAuthentication candidate) {
		return (current != null) ? current : candidate;
	}

}
