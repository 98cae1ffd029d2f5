package io.github.istiosecurity.internal.authz.compile;

import java.util.Map;

/**
 * The workload the policies protect: this application's namespace and labels (§0.2).
 *
 * @param namespace the namespace
 * @param labels the labels that {@code selector.matchLabels} are compared with
 */
public record Workload(String namespace, Map<String, String> labels) {

	public Workload {
		labels = Map.copyOf(labels);
	}

}
