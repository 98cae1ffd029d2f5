package io.github.istiosecurity.internal.jwt;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.jspecify.annotations.Nullable;

/**
 * Tokens whose signature was verified, so that a repeated token costs a map look-up instead of a signature
 * verification (Envoy's jwt_authn has a similar opt-in cache). Entries are keyed by the key source and the
 * token's canonical spelling ({@link ParsedToken#canonical}), so spellings that differ only in empty pieces
 * share one entry; only the rule-independent part is cached (format and signature): issuer, time and audience
 * are still checked on every request, so {@code nbf} and {@code exp} hold on a hit. An entry never outlives
 * the token's {@code exp} plus the clock skew, nor one key refresh interval, and is dropped once its key has
 * left the issuer's key set. The cache is bounded both in entries and in bytes: each entry weighs an estimate
 * of the heap its token holds (the token, its parsed header and claims), and the least recently used entries
 * go first once either bound is reached. Shared across policy reloads; thread-safe.
 */
public final class VerifiedTokenCache {

	/** The default byte bound: 16 MiB. */
	public static final long DEFAULT_MAXIMUM_BYTES = 16L * 1024 * 1024;

	/** Seconds that still fit in nanoseconds with room for the skew. */
	private static final long MAX_SECONDS = Long.MAX_VALUE / 2_000_000_000L;

	private final Cache<Key, Entry> cache;

	private final boolean enabled;

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
	 * @param maximumBytes the maximum estimated heap of the entries, in bytes; 0 disables caching
	 * @param settings the settings (clock, skew, refresh interval)
	 */
	public VerifiedTokenCache(long maximumSize, long maximumBytes, JwtSettings settings) {
		Clock clock = settings.clock();
		long skewNanos = settings.clockSkew().toNanos();
		long maxAgeNanos = settings.jwksRefreshInterval().toNanos();
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.enabled = maximumSize > 0 && maximumBytes > 0;
		// One bound in Caffeine: every entry weighs at least maximumBytes / maximumSize, so the count stays
		// within maximumSize while the weights stay within maximumBytes.
		long minimumWeight = this.enabled ? Math.min(Integer.MAX_VALUE, ceilDiv(maximumBytes, maximumSize)) : 1;
		this.cache = Caffeine.newBuilder()
			.maximumWeight(this.enabled ? maximumBytes : 0)
			.weigher((Key key, Entry entry) -> (int) Math.max(minimumWeight, entry.token().retainedBytes))
			.ticker(ticker)
			.executor(Runnable::run)
			.expireAfter(new Expiry<Key, Entry>() {

				@Override
				public long expireAfterCreate(Key key, Entry entry, long currentTime) {
					long expiresAt = entry.token().expiresAt;
					if (expiresAt == 0) {
						return maxAgeNanos;
					}
					// Never beyond exp + skew (§2.6): the cached token must not outlive its validity.
					long expiryNanos = TimeUnit.SECONDS.toNanos(Math.min(expiresAt, MAX_SECONDS)) + skewNanos;
					return Math.max(0, Math.min(maxAgeNanos, expiryNanos - currentTime));
				}

				@Override
				public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
					return expireAfterCreate(key, entry, currentTime);
				}

				@Override
				public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
					return currentDuration;
				}

			})
			.build();
	}

	private static long ceilDiv(long dividend, long divisor) {
		return -Math.floorDiv(-dividend, divisor);
	}

	/**
	 * Returns the number of cached tokens (approximate).
	 * @return the number of entries
	 */
	public long estimatedSize() {
		this.cache.cleanUp();
		return this.cache.estimatedSize();
	}

	/**
	 * Returns the estimated heap of the cached tokens, in bytes (approximate; each entry counts at least the
	 * byte bound divided by the entry bound).
	 * @return the total weight of the entries
	 */
	public long estimatedBytes() {
		this.cache.cleanUp();
		return this.cache.policy().eviction().map((eviction) -> eviction.weightedSize().orElse(0)).orElse(0L);
	}

	/**
	 * Drops every entry.
	 */
	public void invalidateAll() {
		this.cache.invalidateAll();
	}

	/**
	 * Returns the parsed token if its signature was verified with a key that is still in the key set.
	 * @param keys the key source
	 * @param token the whole token, in any spelling
	 * @return the parsed token, or {@code null}
	 */
	@Nullable ParsedToken get(RuleKeySource keys, String token) {
		String canonical = ParsedToken.canonical(token);
		if (canonical == null) {
			return null;
		}
		Key key = new Key(keys, canonical);
		Entry entry = this.cache.getIfPresent(key);
		if (entry == null) {
			return null;
		}
		RuleKeySource.KnownKeys known = keys.known();
		if (known == null || !known.thumbprints().contains(entry.thumbprint())) {
			// The key left the issuer's set (rotation or revocation): verify again.
			this.cache.invalidate(key);
			return null;
		}
		return entry.token();
	}

	void put(RuleKeySource keys, ParsedToken token, String thumbprint) {
		if (this.enabled) {
			// A verified token's value is its canonical spelling.
			this.cache.put(new Key(keys, token.value), new Entry(token, thumbprint));
		}
	}

	private record Key(RuleKeySource keys, String token) {
	}

	private record Entry(ParsedToken token, String thumbprint) {
	}

}
