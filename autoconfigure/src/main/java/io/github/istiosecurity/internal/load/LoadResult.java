package io.github.istiosecurity.internal.load;

import java.util.List;

import io.github.istiosecurity.model.IstioPolicy;

/**
 * The policies of a successful load, with the warnings Istio would have printed when
 * admitting them.
 *
 * @param policies the policies, in resource order, then in document order
 * @param warnings problems of severity {@link PolicyProblem.Severity#WARNING}; the caller
 * decides how to report them
 * @param unmatchedLocations the locations that matched no readable file, in order
 */
public record LoadResult(List<IstioPolicy> policies, List<PolicyProblem> warnings, List<String> unmatchedLocations) {

	public LoadResult {
		policies = List.copyOf(policies);
		warnings = List.copyOf(warnings);
		unmatchedLocations = List.copyOf(unmatchedLocations);
	}

	/**
	 * Creates the result of a source without locations.
	 * @param policies the policies
	 * @param warnings the warnings
	 */
	public LoadResult(List<IstioPolicy> policies, List<PolicyProblem> warnings) {
		this(policies, warnings, List.of());
	}

	/**
	 * Returns this result without its unmatched locations, for a source whose locations
	 * are optional.
	 * @return the result without unmatched locations
	 */
	public LoadResult withoutUnmatchedLocations() {
		return new LoadResult(this.policies, this.warnings);
	}

}
