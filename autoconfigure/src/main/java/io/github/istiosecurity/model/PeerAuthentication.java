package io.github.istiosecurity.model;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A {@code PeerAuthentication} (§4): the mutual-TLS mode of a workload, per port if
 * needed.
 *
 * @param apiVersion the API version
 * @param metadata the metadata
 * @param origin where it was read from
 * @param selector the workload selector, or {@code null}
 * @param mtls the workload's mode, {@link MtlsMode#UNSET} when absent
 * @param portLevelMtls per-port modes, keyed by the workload (container) port
 */
public record PeerAuthentication(String apiVersion, ObjectMeta metadata, PolicyOrigin origin,
		@Nullable WorkloadSelector selector, MtlsMode mtls,
		Map<Integer, MtlsMode> portLevelMtls) implements IstioPolicy {

	public PeerAuthentication {
		portLevelMtls = Map.copyOf(portLevelMtls);
	}

	@Override
	public List<PolicyTargetReference> targetRefs() {
		return List.of();
	}

	@Override
	public PolicyKind kind() {
		return PolicyKind.PEER_AUTHENTICATION;
	}

}
