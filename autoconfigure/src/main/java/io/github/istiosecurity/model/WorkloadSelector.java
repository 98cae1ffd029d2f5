package io.github.istiosecurity.model;

import java.util.Map;

/**
 * {@code selector}: the labels a workload must carry for the policy to apply (§1.4). An
 * empty map selects every workload in scope.
 *
 * @param matchLabels the labels, all of which must match
 */
public record WorkloadSelector(Map<String, String> matchLabels) {

	public WorkloadSelector {
		matchLabels = Map.copyOf(matchLabels);
	}

	/**
	 * Whether the given workload labels carry every label of this selector (a subset
	 * match).
	 * @param workloadLabels the workload's labels
	 * @return whether the selector selects the workload
	 */
	public boolean selects(Map<String, String> workloadLabels) {
		for (Map.Entry<String, String> label : this.matchLabels.entrySet()) {
			if (!label.getValue().equals(workloadLabels.get(label.getKey()))) {
				return false;
			}
		}
		return true;
	}

}
