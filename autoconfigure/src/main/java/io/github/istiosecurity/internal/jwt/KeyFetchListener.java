package io.github.istiosecurity.internal.jwt;

/**
 * Told of every background fetch of a remote key set (for metrics). Called on a fetch
 * thread; must be quick and must not throw.
 */
public interface KeyFetchListener {

	/** Listens to nothing. */
	KeyFetchListener NONE = (issuer, success) -> {
	};

	/**
	 * A fetch of an issuer's key set ended.
	 * @param issuer the issuer of the rule the key set belongs to
	 * @param success whether a key set was fetched and parsed
	 */
	void fetched(String issuer, boolean success);

}
