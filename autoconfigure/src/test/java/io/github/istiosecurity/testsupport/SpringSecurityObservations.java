package io.github.istiosecurity.testsupport;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * The configurations under which Spring Security observes requests, for the tests of the
 * owned chains on both stacks: settings that ask for request observations, and a registry
 * that records.
 */
public final class SpringSecurityObservations {

	private SpringSecurityObservations() {
	}

	/** Settings that ask Spring Security to observe requests. */
	@Configuration(proxyBeanMethods = false)
	public static class ObservedRequests {

		@Bean
		SecurityObservationSettings observedRequests() {
			return SecurityObservationSettings.withDefaults().shouldObserveRequests(true).build();
		}

	}

	/** A registry that records: one without handlers counts as a no-op one. */
	@Configuration(proxyBeanMethods = false)
	public static class RecordingRegistry {

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler((context) -> true);
			return registry;
		}

	}

}
