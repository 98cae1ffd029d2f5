package io.github.istiosecurity.internal.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The three namespaced {@code security.istio.io} kinds and the versions the API server
 * may serve them in (§1.1): {@code v1} first, {@code v1beta1} as the fall-back of older
 * control planes.
 */
enum PolicyResource {

	AUTHORIZATION_POLICY("AuthorizationPolicy", "authorizationpolicies"),

	REQUEST_AUTHENTICATION("RequestAuthentication", "requestauthentications"),

	PEER_AUTHENTICATION("PeerAuthentication", "peerauthentications");

	static final String GROUP = "security.istio.io";

	/** Versions in order of preference. */
	static final List<String> VERSIONS = List.of("v1", "v1beta1");

	private final String kind;

	private final String plural;

	PolicyResource(String kind, String plural) {
		this.kind = kind;
		this.plural = plural;
	}

	String kind() {
		return this.kind;
	}

	ResourceDefinitionContext context(String version) {
		return new ResourceDefinitionContext.Builder().withGroup(GROUP)
			.withVersion(version)
			.withKind(this.kind)
			.withPlural(this.plural)
			.withNamespaced(true)
			.build();
	}

}
