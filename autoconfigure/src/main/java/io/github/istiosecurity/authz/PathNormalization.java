package io.github.istiosecurity.authz;

/**
 * Istio's {@code meshConfig.pathNormalization.normalization}: how the sidecar rewrites
 * the request path before authorization and before forwarding it to the application
 * (docs/semantics.md §5.1). Istio's {@code DEFAULT} (unset) is {@link #BASE}.
 *
 * @see io.github.istiosecurity.internal.authz.engine.PathNormalizer
 */
public enum PathNormalization {

	/**
	 * Envoy {@code normalize_path: false}, {@code merge_slashes: false}, escaped slashes
	 * kept: the path is used exactly as received.
	 */
	NONE,

	/**
	 * Envoy {@code normalize_path: true} (RFC 3986 canonicalization): percent-encoded
	 * unreserved characters decoded, {@code \} turned into {@code /}, dot segments
	 * removed; {@code %2F} and {@code %5C} kept. Istio's default.
	 */
	BASE,

	/**
	 * {@link #BASE} plus Envoy {@code merge_slashes: true}: consecutive {@code /} merged
	 * after canonicalization.
	 */
	MERGE_SLASHES,

	/**
	 * {@link #MERGE_SLASHES} plus Envoy
	 * {@code path_with_escaped_slashes_action: UNESCAPE_AND_FORWARD}:
	 * {@code %2F %2f %5C %5c} decoded before canonicalization.
	 */
	DECODE_AND_MERGE_SLASHES

}
