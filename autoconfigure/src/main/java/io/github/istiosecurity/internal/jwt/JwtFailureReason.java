package io.github.istiosecurity.internal.jwt;

/**
 * A JWT rejection reduced to a small fixed set of reasons, for metrics: Envoy's many
 * status strings (§2.6) fall into these few, so a tag built from them stays bounded.
 */
public enum JwtFailureReason {

	/** The token's {@code exp} has passed. */
	EXPIRED("expired"),

	/** The token's {@code nbf} is in the future. */
	NOT_YET_VALID("not_yet_valid"),

	/**
	 * The signature did not verify (also: the issuer's key set was never fetched, D16).
	 */
	BAD_SIGNATURE("bad_signature"),

	/** No rule names the token's issuer. */
	UNKNOWN_ISSUER("unknown_issuer"),

	/** The token's audiences are not allowed. */
	AUDIENCE("audience"),

	/**
	 * The token is not a well-formed JWT (sections, Base64url, JSON, field types,
	 * algorithm).
	 */
	MALFORMED("malformed"),

	/** The key set has no usable public key. */
	NO_KEYS("no_keys"),

	/** No key of the set matches the token's {@code kid} or {@code alg}. */
	KID_MISMATCH("kid_mismatch");

	private final String tag;

	JwtFailureReason(String tag) {
		this.tag = tag;
	}

	/**
	 * Returns the lower-case name used as a metric tag value.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
