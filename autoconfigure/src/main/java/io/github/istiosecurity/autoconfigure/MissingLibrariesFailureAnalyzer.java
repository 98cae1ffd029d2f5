package io.github.istiosecurity.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped because libraries the enforcement needs are missing, naming
 * each with its artifact.
 */
final class MissingLibrariesFailureAnalyzer extends AbstractFailureAnalyzer<MissingLibrariesException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingLibrariesException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Depend on io.github.istiosecurity:istio-security-spring-boot-starter, which brings them (through "
						+ "org.springframework.boot:spring-boot-starter-security-oauth2-resource-server), or add the "
						+ "artifacts named above. To run without the policies, set 'istio.security.enabled=false'.",
				cause);
	}

}
