package io.github.istiosecurity.internal.runtime;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.load.LoadResult;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.WorkloadSelector;

/**
 * Finds the mistakes after which a new user's application silently allows every request:
 * a policy location that matches no file, AuthorizationPolicies that were read but select
 * another namespace or other labels, or no policy at all. Each finding names what was
 * loaded against the workload's namespace and labels.
 */
final class PolicyCoverage {

	/** Enough to recognise a typo; the rest are counted, so that a line stays a line. */
	private static final int MAX_LISTED = 10;

	private PolicyCoverage() {
	}

	/**
	 * Returns the misconfigurations of one load, at most one of each kind.
	 * @param loaded the results of every source
	 * @param snapshot the policies compiled for the workload
	 * @param workload the workload
	 * @param sources the descriptions of the sources read
	 * @return the misconfigurations, empty when the workload is covered
	 */
	static List<Misconfiguration> check(List<LoadResult> loaded, CompiledPolicies snapshot, Workload workload,
			List<String> sources) {
		List<Misconfiguration> found = new ArrayList<>();
		Set<String> unmatched = new LinkedHashSet<>();
		loaded.forEach((result) -> unmatched.addAll(result.unmatchedLocations()));
		if (!unmatched.isEmpty()) {
			found.add(new Misconfiguration(Misconfiguration.Kind.UNMATCHED_LOCATION,
					((unmatched.size() == 1) ? "Policy location " : "Policy locations ") + String.join(", ", unmatched)
							+ ((unmatched.size() == 1) ? " matches" : " match")
							+ " no file; check istio.security.policy-locations"));
		}
		boolean authorizationApplies = snapshot.appliedPolicies()
			.stream()
			.anyMatch(AuthorizationPolicy.class::isInstance);
		List<IstioPolicy> ignoredAuthorization = snapshot.ignoredPolicies()
			.stream()
			.map(CompiledPolicies.IgnoredPolicy::policy)
			.filter(AuthorizationPolicy.class::isInstance)
			.toList();
		if (!authorizationApplies && !ignoredAuthorization.isEmpty()) {
			found.add(new Misconfiguration(Misconfiguration.Kind.NO_AUTHORIZATION_POLICY_APPLIES,
					"No AuthorizationPolicy applies to this workload (" + describe(workload) + "): loaded "
							+ list(ignoredAuthorization, workload, false) + "; check istio.security.workload.namespace "
							+ "and istio.security.workload.labels against the policies' namespace and selector"));
		}
		else if (snapshot.appliedPolicies().isEmpty()) {
			List<IstioPolicy> ignored = snapshot.ignoredPolicies()
				.stream()
				.map(CompiledPolicies.IgnoredPolicy::policy)
				.toList();
			found.add(new Misconfiguration(Misconfiguration.Kind.NO_POLICY_APPLIES, ignored.isEmpty()
					? "No Istio policy of any kind was loaded (read " + String.join("; ", sources)
							+ "): every request is allowed; check istio.security.policy-locations"
					: "No Istio policy of any kind applies to this workload (" + describe(workload) + "): loaded "
							+ list(ignored, workload, true) + " (read " + String.join("; ", sources)
							+ "); check istio.security.workload.namespace and istio.security.workload.labels"));
		}
		return found;
	}

	private static String describe(Workload workload) {
		return "namespace \"" + workload.namespace() + "\", labels " + workload.labels();
	}

	private static String list(List<IstioPolicy> policies, Workload workload, boolean withKind) {
		List<String> entries = new ArrayList<>();
		for (IstioPolicy policy : policies.subList(0, Math.min(MAX_LISTED, policies.size()))) {
			String namespace = Objects.requireNonNullElse(policy.metadata().namespace(), workload.namespace());
			WorkloadSelector selector = policy.selector();
			String attachment;
			if (!policy.targetRefs().isEmpty()) {
				attachment = "targetRefs";
			}
			else if (selector == null || selector.matchLabels().isEmpty()) {
				attachment = "no selector";
			}
			else {
				attachment = "selector " + selector.matchLabels();
			}
			entries.add((withKind ? policy.kind().kindName() + " " : "") + namespace + "/" + policy.metadata().name()
					+ " (namespace " + namespace + ", " + attachment + ")");
		}
		if (policies.size() > MAX_LISTED) {
			entries.add("and " + (policies.size() - MAX_LISTED) + " more");
		}
		return String.join(", ", entries);
	}

}
