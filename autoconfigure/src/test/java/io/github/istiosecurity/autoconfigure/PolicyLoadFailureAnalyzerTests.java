package io.github.istiosecurity.autoconfigure;

import java.util.List;

import io.github.istiosecurity.internal.load.PolicyLoadException;
import io.github.istiosecurity.internal.load.PolicyProblem;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyLoadFailureAnalyzerTests {

	@Test
	void namesEveryFileLineAndFieldAndSaysWhatToDo() {
		PolicyLoadException cause = new PolicyLoadException(List.of(
				new PolicyProblem("file:/etc/istio/a.yaml", 9, "spec.rules[0].to[0].operation.method",
						"unknown field \"spec.rules[0].to[0].operation.method\"", PolicyProblem.Severity.ERROR),
				new PolicyProblem("file:/etc/istio/b.yaml", 3, "kind", "Object 'Kind' is missing",
						PolicyProblem.Severity.ERROR)));
		FailureAnalysis analysis = new PolicyLoadFailureAnalyzer()
			.analyze(new BeanCreationException("istioPolicyRuntime", "failed", cause));
		assertThat(analysis.getDescription())
			.contains("file:/etc/istio/a.yaml:9: spec.rules[0].to[0].operation.method: unknown field")
			.contains("file:/etc/istio/b.yaml:3: kind: Object 'Kind' is missing");
		assertThat(analysis.getAction()).contains("istio.security.policy-locations")
			.contains("istio.security.enabled=false");
	}

}
