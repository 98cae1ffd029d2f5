package io.github.istiosecurity.internal.web;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * Spring Security's own rule for whether it observes requests, on both stacks: an
 * observation registry that records, and settings that ask for request observations or
 * none at all. The chains the starter owns keep Spring Security's filters and entry when
 * it does, so that what it observes is what it would have observed.
 */
public final class SpringSecurityObservations {

	private SpringSecurityObservations() {
	}

	/**
	 * Returns whether Spring Security observes requests.
	 * @param registries the application's observation registries
	 * @param settings the application's observation settings
	 * @return whether requests are observed
	 */
	public static boolean observeRequests(ObjectProvider<ObservationRegistry> registries,
			ObjectProvider<SecurityObservationSettings> settings) {
		if (registries.getIfUnique(() -> ObservationRegistry.NOOP).isNoop()) {
			return false;
		}
		SecurityObservationSettings observed = settings.getIfUnique();
		return observed == null || observed.shouldObserveRequests();
	}

}
