package io.github.istiosecurity.load;

import java.util.List;

import io.github.istiosecurity.model.IstioPolicy;

/**
 * The policies of a successful load, with the warnings Istio would have printed when admitting them.
 *
 * @param policies the policies, in resource order, then in document order
 * @param warnings problems of severity {@link PolicyProblem.Severity#WARNING}; the caller decides how to report
 * them
 */
public record LoadResult(List<IstioPolicy> policies, List<PolicyProblem> warnings) {

	public LoadResult {
		policies = List.copyOf(policies);
		warnings = List.copyOf(warnings);
	}

}
