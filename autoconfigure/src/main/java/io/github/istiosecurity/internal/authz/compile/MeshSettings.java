package io.github.istiosecurity.internal.authz.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of Istio's mesh configuration that change policy semantics (§0.2).
 *
 * @param rootNamespace {@code meshConfig.rootNamespace}: policies there apply to every
 * workload
 * @param trustDomain {@code meshConfig.trustDomain}
 * @param trustDomainAliases {@code meshConfig.trustDomainAliases}
 */
public record MeshSettings(String rootNamespace, String trustDomain, List<String> trustDomainAliases) {

	/**
	 * Istio's defaults: root namespace {@code istio-system}, trust domain
	 * {@code cluster.local}, no aliases.
	 */
	public static final MeshSettings DEFAULTS = new MeshSettings("istio-system", "cluster.local", List.of());

	public MeshSettings {
		trustDomainAliases = List.copyOf(trustDomainAliases);
	}

	/**
	 * Returns the mesh trust domain followed by its aliases.
	 * @return every trust domain of the mesh
	 */
	public List<String> trustDomains() {
		List<String> all = new ArrayList<>();
		all.add(this.trustDomain);
		all.addAll(this.trustDomainAliases);
		return all;
	}

}
