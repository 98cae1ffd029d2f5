package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.load.PolicyLoadException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped by an invalid policy: every file, line and field, and what
 * to do.
 */
final class PolicyLoadFailureAnalyzer extends AbstractFailureAnalyzer<PolicyLoadException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PolicyLoadException cause) {
		StringBuilder description = new StringBuilder(
				"Istio security policies could not be loaded; Istio would reject ");
		description.append((cause.problems().size() == 1) ? "this document:" : "these documents:");
		cause.problems().forEach((problem) -> description.append(System.lineSeparator()).append("  ").append(problem));
		return new FailureAnalysis(description.toString(),
				"Fix the policy files named above (check them with 'istioctl validate -f <file>' if you have it), or "
						+ "change 'istio.security.policy-locations'. Set 'istio.security.enabled=false' to start without "
						+ "enforcement.",
				cause);
	}

}
