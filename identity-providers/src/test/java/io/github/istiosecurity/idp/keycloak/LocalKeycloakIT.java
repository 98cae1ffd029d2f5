package io.github.istiosecurity.idp.keycloak;

import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Keycloak cases against Keycloak from its distribution, run as a local process (no
 * Docker needed).
 */
class LocalKeycloakIT extends KeycloakPolicyCases {

	@DynamicPropertySource
	static void keycloakPolicies(DynamicPropertyRegistry registry) {
		policies(registry, LocalKeycloak.get());
	}

	@AfterAll
	static void stopKeycloak() {
		LocalKeycloak.stopIfStarted();
	}

	@Override
	protected KeycloakServer keycloak() {
		return LocalKeycloak.get();
	}

}
