package io.github.istiosecurity.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code istio.security.kubernetes.enabled} is true, or when it is unset and
 * the application runs in Kubernetes.
 */
final class OnKubernetesPolicySourceCondition extends SpringBootCondition {

	private static final String PROPERTY = "istio.security.kubernetes.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		String value = environment.getProperty(PROPERTY);
		if (value != null) {
			boolean enabled = Boolean.parseBoolean(value.trim());
			return new ConditionOutcome(enabled, PROPERTY + " is " + enabled);
		}
		boolean kubernetes = CloudPlatform.KUBERNETES.isActive(environment);
		return new ConditionOutcome(kubernetes, PROPERTY + " is unset and the application "
				+ (kubernetes ? "runs" : "does not run") + " in Kubernetes");
	}

}
