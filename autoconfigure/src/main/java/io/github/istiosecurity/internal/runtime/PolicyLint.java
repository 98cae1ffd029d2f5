package io.github.istiosecurity.internal.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.load.PolicyProblem;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.JwtRule;
import io.github.istiosecurity.model.ObjectMeta;
import io.github.istiosecurity.model.PeerAuthentication;
import io.github.istiosecurity.model.WorkloadSelector;

/**
 * Warns, with file, line and field, about the pitfalls Istio users trip on, for the
 * policies of one load as compiled for this workload: a policy without selector (it
 * applies to the whole namespace, or the whole mesh from the root namespace), a selector
 * that misses this workload's labels, JWT or peer-identity attributes that no request can
 * carry here, {@code hosts} values with a port, paths that normalization rules out, and
 * only dry-run ALLOW policies. It reads the compiled snapshot and never changes it: lint
 * never changes a decision.
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class PolicyLint {

	/**
	 * Istio's default normalization and no peer identity source: what an application
	 * without TLS has.
	 */
	public static final PolicyLint DEFAULT = new PolicyLint(new PathNormalizer(PathNormalization.BASE), false);

	private final PathLint paths;

	private final boolean peerIdentity;

	/**
	 * Creates a lint.
	 * @param normalizer the path normalization in force
	 * @param peerIdentity whether requests can carry a peer identity (this server
	 * authenticates TLS clients)
	 */
	public PolicyLint(PathNormalizer normalizer, boolean peerIdentity) {
		this.paths = new PathLint(normalizer);
		this.peerIdentity = peerIdentity;
	}

	/**
	 * Lints one load.
	 * @param snapshot the policies as compiled for the workload (applied and ignored)
	 * @param workload the workload
	 * @param mesh the mesh settings the snapshot was compiled with
	 * @return the warnings, ordered by resource and line
	 */
	public List<PolicyProblem> check(CompiledPolicies snapshot, Workload workload, MeshSettings mesh) {
		LintFindings findings = new LintFindings();
		Set<String> issuers = new LinkedHashSet<>();
		snapshot.jwtRules().stream().map(JwtRule::issuer).forEach(issuers::add);
		RuleLint rules = new RuleLint(findings, this.paths, this.peerIdentity, issuers);
		List<AuthorizationPolicy> allowPolicies = new ArrayList<>();
		for (IstioPolicy policy : snapshot.appliedPolicies()) {
			namespaceWide(policy, workload, mesh, findings);
			if (policy instanceof AuthorizationPolicy authorization) {
				rules.check(authorization);
				if (authorization.action() == Action.ALLOW) {
					allowPolicies.add(authorization);
				}
			}
		}
		for (CompiledPolicies.IgnoredPolicy ignored : snapshot.ignoredPolicies()) {
			selectorMisses(ignored.policy(), workload, mesh, findings);
		}
		allDryRun(allowPolicies, findings);
		List<PolicyProblem> warnings = new ArrayList<>(findings.list());
		warnings.sort(Comparator.comparing(PolicyProblem::resource).thenComparingInt(PolicyProblem::line));
		return warnings;
	}

	/**
	 * §1.3: a policy without selector applies to every workload of its namespace, and
	 * from the root namespace to every workload of the mesh.
	 */
	private static void namespaceWide(IstioPolicy policy, Workload workload, MeshSettings mesh, LintFindings findings) {
		WorkloadSelector selector = policy.selector();
		if (selector != null && !selector.matchLabels().isEmpty()) {
			return;
		}
		String namespace = namespaceOf(policy, workload);
		String scope = namespace.equals(mesh.rootNamespace())
				? "it is in the root namespace " + namespace + " and applies to every workload of the mesh"
				: "it applies to every workload in namespace " + namespace;
		findings.add(policy, (selector != null) ? "spec.selector" : "spec", "no selector: " + scope);
	}

	/**
	 * A policy of this workload's namespace or the root namespace whose selector misses a
	 * label of this workload: one warning per policy, naming each label that is missing
	 * or different.
	 */
	private static void selectorMisses(IstioPolicy policy, Workload workload, MeshSettings mesh,
			LintFindings findings) {
		String namespace = namespaceOf(policy, workload);
		boolean inRoot = namespace.equals(mesh.rootNamespace());
		WorkloadSelector selector = policy.selector();
		if ((!namespace.equals(workload.namespace()) && !inRoot) || !policy.targetRefs().isEmpty() || selector == null
				|| (policy instanceof PeerAuthentication && inRoot)) {
			return;
		}
		if (policy.origin().fromKubernetes()) {
			// the API server lists every workload's policies of the namespace: selecting
			// another one is normal
			return;
		}
		List<String> misses = new ArrayList<>();
		String firstKey = null;
		for (Map.Entry<String, String> label : new TreeMap<>(selector.matchLabels()).entrySet()) {
			String actual = workload.labels().get(label.getKey());
			if (label.getValue().equals(actual)) {
				continue;
			}
			firstKey = (firstKey != null) ? firstKey : label.getKey();
			misses.add(label.getKey() + "=" + label.getValue()
					+ ((actual != null) ? " (the workload has " + label.getKey() + "=" + actual + ")" : " (missing)"));
		}
		if (firstKey == null) {
			return;
		}
		findings.add(policy, "spec.selector.matchLabels." + firstKey,
				"selector does not match this workload's labels " + new TreeMap<>(workload.labels())
						+ " (istio.security.workload" + ".labels): " + String.join(", ", misses)
						+ "; this policy does not apply to this workload");
	}

	/**
	 * §3.16: dry-run ALLOW policies do not count as ALLOW policies; when every applying
	 * one is dry-run, no request is denied for want of an ALLOW match.
	 */
	private static void allDryRun(List<AuthorizationPolicy> allowPolicies, LintFindings findings) {
		if (allowPolicies.isEmpty() || !allowPolicies.stream().allMatch(AuthorizationPolicy::dryRun)) {
			return;
		}
		List<String> names = allowPolicies.stream().map(IstioPolicy::qualifiedName).toList();
		findings.add(allowPolicies.get(0), "metadata.annotations." + ObjectMeta.DRY_RUN_ANNOTATION,
				"every ALLOW policy that applies to this workload is dry-run (" + String.join(", ", names)
						+ "): none is enforced, so no request is denied for want of an ALLOW match; their results "
						+ "are only logged");
	}

	private static String namespaceOf(IstioPolicy policy, Workload workload) {
		return Objects.requireNonNullElse(policy.metadata().namespace(), workload.namespace());
	}

}
