package io.github.istiosecurity.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One Istio security object: an {@link AuthorizationPolicy}, a
 * {@link RequestAuthentication} or a {@link PeerAuthentication}.
 */
public sealed interface IstioPolicy permits AuthorizationPolicy, RequestAuthentication, PeerAuthentication {

	/**
	 * Returns the {@code apiVersion}, {@code security.istio.io/v1} or
	 * {@code security.istio.io/v1beta1}.
	 * @return the API version
	 */
	String apiVersion();

	/**
	 * Returns the metadata.
	 * @return the metadata
	 */
	ObjectMeta metadata();

	/**
	 * Returns where the object was read from.
	 * @return the origin
	 */
	PolicyOrigin origin();

	/**
	 * Returns the {@code selector}, or {@code null} when absent.
	 * @return the selector
	 */
	@Nullable WorkloadSelector selector();

	/**
	 * Returns {@code targetRefs} (with a legacy {@code targetRef} as its only element),
	 * empty when absent.
	 * @return the target references
	 */
	List<PolicyTargetReference> targetRefs();

	/**
	 * Returns the kind.
	 * @return the kind
	 */
	PolicyKind kind();

	/**
	 * Returns {@code namespace/name}, the way this project names a policy in messages.
	 * @return the qualified name
	 */
	default String qualifiedName() {
		return metadata().namespace() + "/" + metadata().name();
	}

}
