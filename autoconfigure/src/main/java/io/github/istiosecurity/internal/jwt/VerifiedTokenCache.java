package io.github.istiosecurity.internal.jwt;

import org.jspecify.annotations.Nullable;

/**
 * Tokens whose signature was verified, so that a repeated token costs a map look-up
 * instead of a signature verification (Envoy's jwt_authn has a similar opt-in cache).
 * Entries are keyed by the key source and the token's canonical spelling
 * ({@link ParsedToken#canonical}), so spellings that differ only in empty pieces share
 * one entry; only the rule-independent part is cached (format and signature): issuer,
 * time and audience are still checked on every request, so {@code nbf} and {@code exp}
 * hold on a hit. An entry never outlives the token's {@code exp} plus the clock skew, nor
 * one key refresh interval, and is dropped once its key has left the issuer's key set.
 * The cache is bounded both in entries and in bytes: each entry weighs an estimate of the
 * heap its token holds (the token, its parsed header and claims, and the outcome the
 * token remembers for its requests, principal, claims as matched and headers, as built
 * for the request that verified it), and the least recently used entries go first once
 * either bound is reached. Shared across policy reloads; thread-safe.
 * <p>
 * The entries live in Caffeine ({@link CaffeineTokenStore}, the only class that uses it);
 * a cache that is off ({@link #disabled()}, or a bound of 0) never loads Caffeine, so it
 * works without Caffeine on the class path.
 */
public final class VerifiedTokenCache {

	/** The default byte bound: 16 MiB. */
	public static final long DEFAULT_MAXIMUM_BYTES = 16L * 1024 * 1024;

	/** The entries; {@code null} when the cache is off. */
	private final @Nullable CaffeineTokenStore store;

	/**
	 * Creates a cache bounded by {@link #DEFAULT_MAXIMUM_BYTES} and an entry count.
	 * @param maximumSize the maximum number of entries; 0 disables caching
	 * @param settings the settings (clock, skew, refresh interval)
	 */
	public VerifiedTokenCache(long maximumSize, JwtSettings settings) {
		this(maximumSize, DEFAULT_MAXIMUM_BYTES, settings);
	}

	/**
	 * Creates a cache.
	 * @param maximumSize the maximum number of entries; 0 disables caching
	 * @param maximumBytes the maximum estimated heap of the entries, in bytes; 0 disables
	 * caching
	 * @param settings the settings (clock, skew, refresh interval)
	 * @throws NoClassDefFoundError if caching is on and Caffeine is not on the class path
	 */
	public VerifiedTokenCache(long maximumSize, long maximumBytes, JwtSettings settings) {
		this.store = (maximumSize > 0 && maximumBytes > 0) ? new CaffeineTokenStore(maximumSize, maximumBytes, settings)
				: null;
	}

	private VerifiedTokenCache() {
		this.store = null;
	}

	/**
	 * Returns a cache that is off: every token's signature is verified. Needs no
	 * Caffeine.
	 * @return a cache that keeps nothing
	 */
	public static VerifiedTokenCache disabled() {
		return new VerifiedTokenCache();
	}

	/**
	 * Returns whether tokens are kept at all.
	 * @return whether the cache is on
	 */
	public boolean isEnabled() {
		return this.store != null;
	}

	/**
	 * Returns the number of cached tokens (approximate).
	 * @return the number of entries
	 */
	public long estimatedSize() {
		return (this.store != null) ? this.store.estimatedSize() : 0;
	}

	/**
	 * Returns the estimated heap of the cached tokens, in bytes (approximate; each entry
	 * counts at least the byte bound divided by the entry bound).
	 * @return the total weight of the entries
	 */
	public long estimatedBytes() {
		return (this.store != null) ? this.store.estimatedBytes() : 0;
	}

	/**
	 * Drops every entry.
	 */
	public void invalidateAll() {
		if (this.store != null) {
			this.store.invalidateAll();
		}
	}

	/**
	 * Returns the parsed token if its signature was verified with a key that is still in
	 * the key set.
	 * @param keys the key source
	 * @param token the whole token, in any spelling
	 * @return the parsed token, or {@code null}
	 */
	@Nullable ParsedToken get(RuleKeySource keys, String token) {
		CaffeineTokenStore store = this.store;
		if (store == null) {
			return null;
		}
		String canonical = ParsedToken.canonical(token);
		if (canonical == null) {
			return null;
		}
		Key key = new Key(keys, canonical);
		Entry entry = store.get(key);
		if (entry == null) {
			return null;
		}
		RuleKeySource.KnownKeys known = keys.known();
		if (known == null || !known.thumbprints().contains(entry.thumbprint())) {
			// The key left the issuer's set (rotation or revocation): verify again.
			store.invalidate(key);
			return null;
		}
		return entry.token();
	}

	void put(RuleKeySource keys, ParsedToken token, String thumbprint) {
		if (this.store != null) {
			// A verified token's value is its canonical spelling.
			this.store.put(new Key(keys, token.value), new Entry(token, thumbprint));
		}
	}

	/**
	 * A cache key: the key source and the token's canonical spelling. Hashed on the
	 * token's last characters, the end of its signature: a token is a new string on every
	 * request, and hashing all of its hundreds of characters cost more than the look-up.
	 * Only verified tokens are stored, so nobody without the issuer's key can make many
	 * entries share a hash.
	 */
	static final class Key {

		private static final int HASHED = 32;

		private final RuleKeySource keys;

		private final String token;

		private final int hash;

		Key(RuleKeySource keys, String token) {
			this.keys = keys;
			this.token = token;
			int hash = System.identityHashCode(keys);
			for (int i = Math.max(0, token.length() - HASHED); i < token.length(); i++) {
				hash = 31 * hash + token.charAt(i);
			}
			this.hash = hash;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Key key && this.keys == key.keys && this.token.equals(key.token);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

	/**
	 * A verified token and the thumbprint of the key that verified it.
	 */
	record Entry(ParsedToken token, String thumbprint) {
	}

}
