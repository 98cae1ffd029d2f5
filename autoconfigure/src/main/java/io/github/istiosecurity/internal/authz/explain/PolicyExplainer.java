package io.github.istiosecurity.internal.authz.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.check.PolicyEvaluation;
import io.github.istiosecurity.check.RuleEvaluation;
import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.RuleAnatomy;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.IstioPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Explains, for every AuthorizationPolicy that applies, whether a request matched it and
 * why: the rule that matched, or for each rule the {@code to}/{@code from}/{@code when}
 * entry that failed and on which field. Rules are compiled again, field by field, by the
 * compiler that built the snapshot; an explanation costs a compile and is meant for
 * diagnostics, not for requests.
 */
public final class PolicyExplainer {

	/**
	 * CUSTOM first, then DENY, ALLOW and AUDIT: the order of the steps that evaluate them
	 * (§3.4).
	 */
	private static final List<Action> STEP_ORDER = List.of(Action.CUSTOM, Action.DENY, Action.ALLOW, Action.AUDIT);

	private final PolicyCompiler compiler;

	/**
	 * Creates an explainer.
	 * @param compiler the compiler of the snapshots to explain
	 */
	public PolicyExplainer(PolicyCompiler compiler) {
		this.compiler = compiler;
	}

	/**
	 * Evaluates every AuthorizationPolicy of a snapshot against a request, in the order
	 * of the steps that use them: CUSTOM, DENY, ALLOW, AUDIT (each in istiod's processing
	 * order).
	 * @param snapshot the policies in force
	 * @param request the request, with the attributes it has at the step of interest
	 * @return one evaluation per policy
	 */
	public List<PolicyEvaluation> explain(CompiledPolicies snapshot, RequestAttributes request) {
		List<AuthorizationPolicy> policies = new ArrayList<>();
		for (IstioPolicy policy : snapshot.appliedPolicies()) {
			if (policy instanceof AuthorizationPolicy authorization) {
				policies.add(authorization);
			}
		}
		policies.sort(Comparator.comparingInt((AuthorizationPolicy policy) -> STEP_ORDER.indexOf(policy.action())));
		List<PolicyEvaluation> evaluations = new ArrayList<>(policies.size());
		for (AuthorizationPolicy policy : policies) {
			evaluations.add(evaluate(policy, request));
		}
		return evaluations;
	}

	private PolicyEvaluation evaluate(AuthorizationPolicy policy, RequestAttributes request) {
		boolean dryRun = policy.dryRun() && (policy.action() == Action.ALLOW || policy.action() == Action.DENY);
		String provider = (policy.action() == Action.CUSTOM) ? policy.provider() : null;
		List<RuleEvaluation> rules = new ArrayList<>();
		for (RuleAnatomy rule : this.compiler.anatomy(policy)) {
			rules.add(evaluate(rule, request));
		}
		// Envoy orders a policy's rules by their id, "...-rule[<index>]", as strings
		// (rule[10] before rule[2])
		RuleEvaluation first = rules.stream()
			.filter(RuleEvaluation::matched)
			.min(Comparator.comparing((RuleEvaluation rule) -> rule.index() + "]"))
			.orElse(null);
		String name = policy.metadata().namespace() + "/" + policy.metadata().name();
		if (first != null) {
			return new PolicyEvaluation(name, policy.action(), dryRun, provider, true, first.index(),
					"rule " + first.index() + " matched: " + first.why(), rules);
		}
		String why;
		if (rules.isEmpty()) {
			why = (policy.action() == Action.ALLOW) ? "it has no rules, so it matches no request (allow-nothing)"
					: "it has no rules, so it matches no request";
		}
		else {
			StringBuilder text = new StringBuilder("no rule matched.");
			for (RuleEvaluation rule : rules) {
				text.append(" rule ").append(rule.index()).append(": ").append(rule.why()).append('.');
			}
			why = text.toString();
		}
		return new PolicyEvaluation(name, policy.action(), dryRun, provider, false, null, why, rules);
	}

	private static RuleEvaluation evaluate(RuleAnatomy rule, RequestAttributes request) {
		if (rule.dropped()) {
			return new RuleEvaluation(rule.index(), false,
					"never used: one of its values cannot be used, and istiod drops such an ALLOW rule");
		}
		List<String> failures = new ArrayList<>();
		List<String> matched = new ArrayList<>();
		anyOf("to", rule.to(), request, failures, matched);
		anyOf("from", rule.from(), request, failures, matched);
		for (RuleAnatomy.Entry condition : rule.when()) {
			String failure = failure(condition, request, true);
			if (failure != null) {
				failures.add(failure);
			}
			else {
				matched.add(condition.label() + " " + condition.fields().get(0).name());
			}
		}
		if (!failures.isEmpty()) {
			return new RuleEvaluation(rule.index(), false, String.join("; ", failures));
		}
		return new RuleEvaluation(rule.index(), true, matched.isEmpty()
				? "it has no to, from or when, so it matches every request" : String.join(", ", matched));
	}

	/**
	 * A rule's {@code to} or {@code from}: one entry must match, unless there are none.
	 */
	private static void anyOf(String part, List<RuleAnatomy.Entry> entries, RequestAttributes request,
			List<String> failures, List<String> matched) {
		if (entries.isEmpty()) {
			return;
		}
		List<String> entryFailures = new ArrayList<>();
		for (RuleAnatomy.Entry entry : entries) {
			String failure = failure(entry, request, false);
			if (failure == null) {
				matched.add(entry.label() + describeFields(entry));
				return;
			}
			entryFailures.add(failure);
		}
		failures.add((entries.size() == 1) ? entryFailures.get(0)
				: "no " + part + " entry matched (" + String.join("; ", entryFailures) + ")");
	}

	private static String describeFields(RuleAnatomy.Entry entry) {
		if (entry.fields().isEmpty()) {
			return " (no fields)";
		}
		return " (" + String.join(", ", entry.fields().stream().map((field) -> field.writtenName(false)).toList())
				+ ")";
	}

	/** Returns which fields of an entry failed, or {@code null} when it matched. */
	private static @Nullable String failure(RuleAnatomy.Entry entry, RequestAttributes request, boolean condition) {
		List<String> failed = new ArrayList<>();
		for (RuleAnatomy.Field field : entry.fields()) {
			if (!field.matcher().matches(request)) {
				String label = condition ? entry.label() + " " + field.name() + " " + field.writtenName(true)
						: entry.label() + "." + field.writtenName(false);
				failed.add(label + " " + field.values() + (field.negated() ? " matched " : " did not match ")
						+ RequestValues.describe(field.name(), request));
			}
		}
		return failed.isEmpty() ? null : String.join(" and ", failed);
	}

}
