package io.github.istiosecurity.internal.authz.compile;

import java.util.Map;

import io.github.istiosecurity.model.MtlsMode;

/**
 * The effective mTLS modes of the workload's PeerAuthentications (§4.3): the workload's
 * mode and the modes of the ports its workload-level policy names in
 * {@code portLevelMtls}. Never {@link MtlsMode#UNSET}.
 *
 * @param workloadMode the mode of every port not named
 * @param portModes the modes by port
 */
public record PeerAuthenticationModes(MtlsMode workloadMode, Map<Integer, MtlsMode> portModes) {

	/** No PeerAuthentication: Istio's default, PERMISSIVE. */
	public static final PeerAuthenticationModes DEFAULT = new PeerAuthenticationModes(MtlsMode.PERMISSIVE, Map.of());

	public PeerAuthenticationModes {
		portModes = Map.copyOf(portModes);
	}

	/**
	 * Returns the effective mode for a local port.
	 * @param port the workload port
	 * @return the mode
	 */
	public MtlsMode mode(int port) {
		if (this.portModes.isEmpty()) {
			// asked on every request: no boxed port when no policy names one
			return this.workloadMode;
		}
		MtlsMode portMode = this.portModes.get(port);
		return (portMode == null || portMode == MtlsMode.UNSET) ? this.workloadMode : portMode;
	}

}
