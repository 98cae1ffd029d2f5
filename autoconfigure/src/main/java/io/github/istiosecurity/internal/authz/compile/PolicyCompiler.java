package io.github.istiosecurity.internal.authz.compile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.PolicyRef;
import io.github.istiosecurity.authz.RuleRef;
import io.github.istiosecurity.internal.authz.engine.AuthorizationRules;
import io.github.istiosecurity.internal.authz.engine.CompiledRule;
import io.github.istiosecurity.internal.authz.engine.RequestMatcher;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.JwtRule;
import io.github.istiosecurity.model.PeerAuthentication;
import io.github.istiosecurity.model.RequestAuthentication;
import io.github.istiosecurity.model.Rule;

/**
 * Compiles the policies that apply to one workload into an immutable
 * {@link CompiledPolicies}. Compiling is done once per (re)load; deciding then touches
 * only the compiled matchers.
 */
public final class PolicyCompiler {

	/**
	 * Oldest first, then by namespace and name: istiod's processing order, made total.
	 */
	private static final Comparator<IstioPolicy> PROCESSING_ORDER = Comparator
		.comparing((IstioPolicy policy) -> policy.metadata().creationTimestamp(),
				Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
		.thenComparing((policy) -> String.valueOf(policy.metadata().namespace()))
		.thenComparing((policy) -> policy.metadata().name())
		.thenComparing(IstioPolicy::kind);

	private final Workload workload;

	private final MeshSettings mesh;

	private final Map<String, ExtensionAuthorizer> authorizers;

	private final TrustDomainAliases trustDomains;

	/**
	 * Creates a compiler for one workload.
	 * @param workload the workload
	 * @param mesh the mesh settings
	 * @param authorizers extension authorizers by provider name, for CUSTOM policies
	 */
	public PolicyCompiler(Workload workload, MeshSettings mesh, Map<String, ExtensionAuthorizer> authorizers) {
		this.workload = workload;
		this.mesh = mesh;
		this.authorizers = Map.copyOf(authorizers);
		this.trustDomains = new TrustDomainAliases(mesh);
	}

	/**
	 * Returns the workload this compiler selects policies for.
	 * @return the workload
	 */
	public Workload workload() {
		return this.workload;
	}

	/**
	 * Selects the policies that apply to the workload and compiles them.
	 * @param policies every policy read, of any kind and namespace
	 * @return the compiled policies
	 * @throws IllegalArgumentException when a policy uses a {@code when} key Istio does
	 * not know (the loader rejects such policies first)
	 */
	public CompiledPolicies compile(Collection<? extends IstioPolicy> policies) {
		List<IstioPolicy> ordered = new ArrayList<>(policies);
		ordered.sort(PROCESSING_ORDER);
		AuthorizationRules.Builder authorization = AuthorizationRules.builder().authorizers(this.authorizers);
		List<IstioPolicy> applied = new ArrayList<>();
		List<CompiledPolicies.IgnoredPolicy> ignoredPolicies = new ArrayList<>();
		List<CompiledRule> rules = new ArrayList<>();
		List<String> providers = new ArrayList<>();
		List<JwtRule> jwtRules = new ArrayList<>();
		List<PeerAuthentication> peerAuthentications = new ArrayList<>();
		for (IstioPolicy policy : ordered) {
			String ignored = PolicyApplicability.whyNotApplicable(policy, this.workload, this.mesh);
			if (ignored != null) {
				ignoredPolicies.add(new CompiledPolicies.IgnoredPolicy(policy, ignored));
				continue;
			}
			applied.add(policy);
			if (policy instanceof AuthorizationPolicy authorizationPolicy) {
				compileRules(authorizationPolicy, authorization, rules, providers);
			}
			else if (policy instanceof RequestAuthentication authentication) {
				jwtRules.addAll(authentication.jwtRules());
			}
			else if (policy instanceof PeerAuthentication peer) {
				peerAuthentications.add(peer);
			}
		}
		// Envoy keeps RBAC policies in a map ordered by id, so "the first rule that
		// matched" follows the id
		Integer[] order = new Integer[rules.size()];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		java.util.Arrays.sort(order, Comparator.comparing((Integer i) -> rules.get(i).ref().ruleId()));
		for (int i : order) {
			CompiledRule rule = rules.get(i);
			if (rule.ref().policy().action() == Action.CUSTOM) {
				authorization.customRule(providers.get(i), rule);
			}
			else {
				authorization.rule(rule);
			}
		}
		// §2.3: all jwtRules concatenated and sorted by issuer (stable)
		jwtRules.sort(Comparator.comparing(JwtRule::issuer));
		return new CompiledPolicies(authorization.build(), jwtRules,
				MtlsModes.resolve(peerAuthentications, this.workload, this.mesh), applied, ignoredPolicies);
	}

	/**
	 * Takes the rules of a policy apart for an explanation, compiled as {@link #compile}
	 * compiles them.
	 * @param policy an AuthorizationPolicy that applies to the workload
	 * @return one anatomy per rule, in {@code spec.rules} order
	 */
	public List<RuleAnatomy> anatomy(AuthorizationPolicy policy) {
		String namespace = PolicyApplicability.namespaceOf(policy, this.workload);
		List<RuleAnatomy> rules = new ArrayList<>();
		for (int i = 0; i < policy.rules().size(); i++) {
			rules.add(RuleCompiler.anatomy(policy.rules().get(i), i, policy.action(), namespace, this.trustDomains));
		}
		return rules;
	}

	/**
	 * Returns the mesh settings policies are compiled with.
	 * @return the mesh settings
	 */
	public MeshSettings mesh() {
		return this.mesh;
	}

	private void compileRules(AuthorizationPolicy policy, AuthorizationRules.Builder authorization,
			List<CompiledRule> rules, List<String> providers) {
		Action action = policy.action();
		boolean dryRun = policy.dryRun() && (action == Action.ALLOW || action == Action.DENY);
		String namespace = PolicyApplicability.namespaceOf(policy, this.workload);
		PolicyRef ref = new PolicyRef(namespace, policy.metadata().name(), action, dryRun, policy.origin());
		if (action == Action.ALLOW && !dryRun) {
			// an ALLOW policy counts even when it has no rule that can match
			// (allow-nothing, §3.4)
			authorization.allowPolicy(ref);
		}
		for (int i = 0; i < policy.rules().size(); i++) {
			RequestMatcher matcher = RuleCompiler.compile(policy.rules().get(i), action, namespace, this.trustDomains);
			if (matcher == null) {
				continue;
			}
			Rule rule = policy.rules().get(i);
			rules.add(new CompiledRule(new RuleRef(ref, i), matcher, RuleCompiler.pathPrefixes(rule)));
			providers.add((policy.provider() != null) ? policy.provider() : "");
		}
	}

}
