package io.github.istiosecurity.jwt;

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
 * whole token; only the rule-independent part is cached (format and signature): issuer, time and audience
 * are still checked on every request, so {@code nbf} and {@code exp} hold on a hit. An entry never outlives
 * the token's {@code exp} plus the clock skew, nor one key refresh interval, and is dropped once its key has
 * left the issuer's key set. Shared across policy reloads; thread-safe.
 */
public final class VerifiedTokenCache {

	/** Seconds that still fit in nanoseconds with room for the skew. */
	private static final long MAX_SECONDS = Long.MAX_VALUE / 2_000_000_000L;

	private final Cache<Key, Entry> cache;

	/**
	 * Creates a cache.
	 * @param maximumSize the maximum number of entries; 0 disables caching
	 * @param settings the settings (clock, skew, refresh interval)
	 */
	public VerifiedTokenCache(long maximumSize, JwtSettings settings) {
		Clock clock = settings.clock();
		long skewNanos = settings.clockSkew().toNanos();
		long maxAgeNanos = settings.jwksRefreshInterval().toNanos();
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		this.cache = Caffeine.newBuilder()
			.maximumSize(maximumSize)
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

	/**
	 * Returns the number of cached tokens (approximate).
	 * @return the number of entries
	 */
	public long estimatedSize() {
		this.cache.cleanUp();
		return this.cache.estimatedSize();
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
	 * @param token the whole token
	 * @return the parsed token, or {@code null}
	 */
	@Nullable ParsedToken get(RuleKeySource keys, String token) {
		Key key = new Key(keys, token);
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
		this.cache.put(new Key(keys, token.value), new Entry(token, thumbprint));
	}

	private record Key(RuleKeySource keys, String token) {
	}

	private record Entry(ParsedToken token, String thumbprint) {
	}

}
