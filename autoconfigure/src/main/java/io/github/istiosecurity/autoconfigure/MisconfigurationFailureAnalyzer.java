package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.runtime.MisconfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped by {@code istio.security.require-policies}: the policies
 * were read without error, but they would let every request through unchecked.
 */
final class MisconfigurationFailureAnalyzer extends AbstractFailureAnalyzer<MisconfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MisconfigurationException cause) {
		StringBuilder description = new StringBuilder(
				"Istio security policies are required (istio.security.require-policies=true), but ");
		description.append((cause.misconfigurations().size() == 1) ? "this problem leaves" : "these problems leave");
		description.append(" the workload unprotected:");
		cause.misconfigurations()
			.forEach((found) -> description.append(System.lineSeparator()).append("  ").append(found.message()));
		return new FailureAnalysis(description.toString(),
				"Make 'istio.security.workload.namespace' and 'istio.security.workload.labels' match the namespace "
						+ "and selector of the policies meant for this application, and "
						+ "'istio.security.policy-locations' match their files. Set "
						+ "'istio.security.require-policies=false' to start with a warning instead.",
				cause);
	}

}
