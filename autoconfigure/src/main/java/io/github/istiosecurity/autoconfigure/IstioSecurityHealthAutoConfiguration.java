package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code istio} health indicator ({@link IstioSecurityHealthIndicator}), when Spring
 * Boot's health support is on the class path;
 * {@code management.health.istio.enabled=false} turns it off.
 */
@AutoConfiguration(after = IstioSecurityAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ PolicyRuntime.class, JwksKeySources.class })
@ConditionalOnEnabledHealthIndicator("istio")
public final class IstioSecurityHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "istioHealthIndicator")
	IstioSecurityHealthIndicator istioHealthIndicator(PolicyRuntime runtime, JwksKeySources keySources) {
		return new IstioSecurityHealthIndicator(runtime, keySources);
	}

}
