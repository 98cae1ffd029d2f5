package io.github.istiosecurity.model;

/**
 * {@code mtls.mode} of a {@link PeerAuthentication} (§4.1).
 */
public enum MtlsMode {

	/** Inherit from the parent level. */
	UNSET,

	/** No mutual TLS; no peer identity. */
	DISABLE,

	/** Mutual TLS and plaintext both accepted. */
	PERMISSIVE,

	/** Only mutual TLS accepted. */
	STRICT

}
