package io.github.istiosecurity.idp.keycloak.docker;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.istiosecurity.idp.keycloak.KeycloakServer;

/**
 * Keycloak in a container ({@code testcontainers-keycloak}, needs a Docker engine) with the same realms as
 * the local process: one per JVM, started on first use and stopped at the end.
 */
final class ContainerKeycloak implements KeycloakServer {

	private static ContainerKeycloak instance;

	private final KeycloakContainer container;

	private ContainerKeycloak() {
		String image = "quay.io/keycloak/keycloak:" + System.getProperty("keycloak.version", "26.7.3");
		this.container = new KeycloakContainer(image).withRealmImportFiles("/keycloak/shop-realm.json",
				"/keycloak/other-realm.json", "/keycloak/rotating-realm.json");
		this.container.start();
	}

	static synchronized ContainerKeycloak get() {
		if (instance == null) {
			instance = new ContainerKeycloak();
		}
		return instance;
	}

	static synchronized void stopIfStarted() {
		if (instance != null) {
			instance.container.stop();
		}
	}

	@Override
	public String baseUrl() {
		String url = this.container.getAuthServerUrl();
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	@Override
	public String adminUsername() {
		return this.container.getAdminUsername();
	}

	@Override
	public String adminPassword() {
		return this.container.getAdminPassword();
	}

}
