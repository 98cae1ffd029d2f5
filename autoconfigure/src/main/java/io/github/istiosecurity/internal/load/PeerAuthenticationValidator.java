package io.github.istiosecurity.internal.load;

/**
 * Istio's webhook validation of a {@code PeerAuthentication} spec
 * ({@code ValidatePeerAuthentication}, §4.2).
 */
final class PeerAuthenticationValidator {

	private PeerAuthenticationValidator() {
	}

	/**
	 * Validates a spec.
	 * @param spec the spec
	 * @param specPath the path of the spec
	 * @param problems where problems are reported
	 */
	static void validate(YamlNode.Mapping spec, String specPath, Problems problems) {
		YamlNode.Mapping selector = spec.mapping("selector");
		YamlNode.Mapping labels = (selector != null) ? selector.mapping("matchLabels") : null;
		boolean emptySelector = labels == null || labels.entries().isEmpty();
		YamlNode.Mapping ports = spec.mapping("portLevelMtls");
		if (emptySelector && ports != null && !ports.entries().isEmpty()) {
			problems.error(spec.line(), specPath, "mesh/namespace peer authentication cannot have port level mTLS");
		}
		if (ports != null && ports.entries().isEmpty()) {
			String path = Schema.child(specPath, "portLevelMtls");
			problems.error(ports.line(), path, "port level mTLS, if defined, must have at least one element");
		}
		if (ports != null) {
			for (String port : ports.entries().keySet()) {
				if (!isPort(port)) {
					problems.error(ports.line(), Schema.child(specPath, "portLevelMtls"),
							"port must be in range 1..65535");
					break;
				}
			}
		}
		SelectorValidator.validate(spec, specPath, problems, false);
	}

	private static boolean isPort(String key) {
		try {
			long port = Long.parseLong(key);
			return port > 0 && port <= 65535;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
