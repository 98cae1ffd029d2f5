package io.github.istiosecurity.internal.authz.compile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites policy values for the mesh trust domain and its aliases, as istiod's
 * trust-domain bundle does (§4.5): a principal {@code
 *
<td>/ns/<ns>/sa/<sa>} whose {@code td} is {@code cluster.local} or one of the mesh's trust
 * domains stands for every one of them.
 */
final class TrustDomainAliases {

	private static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

	private final List<String> trustDomains;

	TrustDomainAliases(MeshSettings mesh) {
		this.trustDomains = mesh.trustDomains();
	}

	/**
	 * Rewrites {@code principals} values.
	 * @param values the values
	 * @return the values to match
	 */
	List<String> principals(List<String> values) {
		if (this.trustDomains.size() == 1 && this.trustDomains.get(0).equals(DEFAULT_TRUST_DOMAIN)) {
			return values;
		}
		Set<String> rewritten = new LinkedHashSet<>();
		for (String value : values) {
			String[] parts = value.split("/", -1);
			if (parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa") || parts[0].equals("*")
					|| !(parts[0].equals(DEFAULT_TRUST_DOMAIN) || isMeshTrustDomain(parts[0]))) {
				rewritten.add(value);
				continue;
			}
			String rest = value.substring(parts[0].length());
			for (String trustDomain : this.trustDomains) {
				rewritten.add(trustDomain + rest);
			}
		}
		return new ArrayList<>(rewritten);
	}

	/**
	 * Expands {@code trustDomains} values that name a mesh trust domain to all of them.
	 * @param values the values
	 * @return the values to match
	 */
	List<String> trustDomains(List<String> values) {
		Set<String> expanded = new LinkedHashSet<>();
		for (String value : values) {
			if (this.trustDomains.contains(value)) {
				expanded.addAll(this.trustDomains);
			}
			else {
				expanded.add(value);
			}
		}
		return new ArrayList<>(expanded);
	}

	private boolean isMeshTrustDomain(String candidate) {
		for (String trustDomain : this.trustDomains) {
			if (trustDomain.equals(candidate) || wildcardMatches(candidate, trustDomain)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A value's trust domain with a leading or trailing {@code *} matches a mesh trust
	 * domain.
	 */
	private static boolean wildcardMatches(String pattern, String trustDomain) {
		if (pattern.startsWith("*")) {
			return trustDomain.endsWith(pattern.substring(1));
		}
		if (pattern.endsWith("*")) {
			return trustDomain.startsWith(pattern.substring(0, pattern.length() - 1));
		}
		return false;
	}

}
