package io.github.istiosecurity.idp.keycloak.docker;

import io.github.istiosecurity.idp.keycloak.KeycloakPolicyCases;
import io.github.istiosecurity.idp.keycloak.KeycloakServer;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Keycloak cases against Keycloak in a container: {@code ./mvnw -Pdocker verify} (needs Docker).
 */
class ContainerKeycloakIT extends KeycloakPolicyCases {

	@DynamicPropertySource
	static void keycloakPolicies(DynamicPropertyRegistry registry) {
		policies(registry, ContainerKeycloak.get());
	}

	@AfterAll
	static void stopKeycloak() {
		ContainerKeycloak.stopIfStarted();
	}

	@Override
	protected KeycloakServer keycloak() {
		return ContainerKeycloak.get();
	}

}
