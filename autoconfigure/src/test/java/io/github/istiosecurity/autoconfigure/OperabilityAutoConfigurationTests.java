package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.web.InboundPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the metrics and the health indicator are installed: only with their libraries on
 * the class path, metrics only with a {@link MeterRegistry}, and nothing when the starter
 * is turned off.
 */
class OperabilityAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IstioSecurityAutoConfiguration.class,
				IstioSecurityMetricsAutoConfiguration.class, IstioSecurityHealthAutoConfiguration.class))
		.withPropertyValues("istio.security.policy-locations=classpath:istio-test/allow-get.yaml");

	@Test
	void metricsAndHealthWithARegistryAndHealthSupport() {
		this.runner.withUserConfiguration(Registry.class).run((context) -> {
			assertThat(context).hasSingleBean(IstioSecurityMetrics.class);
			assertThat(context).hasSingleBean(IstioSecurityHealthIndicator.class);
			assertThat(context).hasBean("istioHealthIndicator");
			assertThat(context.getBean(MeterRegistry.class).find(IstioSecurityMetrics.DECISION_TIMER).functionTimer())
				.isNotNull();
		});
	}

	@Test
	void noMetricsWithoutARegistry() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(IstioSecurityMetrics.class);
			assertThat(context).hasSingleBean(InboundPipeline.class);
		});
	}

	@Test
	void noMetricsWithoutMicrometerAndNoHealthWithoutHealthSupport() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, HealthIndicator.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(InboundPipeline.class);
				assertThat(context).doesNotHaveBean(IstioSecurityMetrics.class);
				assertThat(context).doesNotHaveBean(IstioSecurityHealthIndicator.class);
			});
	}

	@Test
	void healthIndicatorTurnedOffByProperty() {
		this.runner.withPropertyValues("management.health.istio.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IstioSecurityHealthIndicator.class));
	}

	@Test
	void nothingWhenTheStarterIsOff() {
		this.runner.withUserConfiguration(Registry.class)
			.withPropertyValues("istio.security.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(IstioSecurityMetrics.class);
				assertThat(context).doesNotHaveBean(IstioSecurityHealthIndicator.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
