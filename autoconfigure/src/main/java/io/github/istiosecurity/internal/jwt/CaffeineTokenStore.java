package io.github.istiosecurity.internal.jwt;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache.Entry;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache.Key;
import org.jspecify.annotations.Nullable;

/**
 * The entries of a {@link VerifiedTokenCache} that is on, in Caffeine: bounded by weight
 * (an estimate of each token's heap with the outcome it remembers when it enters, at
 * least the byte bound divided by the entry bound), expiring with the token and after one
 * key refresh interval, on the settings' clock. The only class that uses Caffeine, so
 * that a cache that is off needs none.
 */
final class CaffeineTokenStore {

	/** Seconds that still fit in nanoseconds with room for the skew. */
	private static final long MAX_SECONDS = Long.MAX_VALUE / 2_000_000_000L;

	private final Cache<Key, Entry> cache;

	/**
	 * Creates the store.
	 * @param maximumSize the maximum number of entries, positive
	 * @param maximumBytes the maximum estimated heap of the entries, in bytes, positive
	 * @param settings the settings (clock, skew, refresh interval)
	 */
	CaffeineTokenStore(long maximumSize, long maximumBytes, JwtSettings settings) {
		Clock clock = settings.clock();
		long skewNanos = settings.clockSkew().toNanos();
		long maxAgeNanos = settings.jwksRefreshInterval().toNanos();
		Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
		// One bound in Caffeine: every entry weighs at least maximumBytes / maximumSize,
		// so the count stays
		// within maximumSize while the weights stay within maximumBytes.
		long minimumWeight = Math.min(Integer.MAX_VALUE, ceilDiv(maximumBytes, maximumSize));
		this.cache = Caffeine.newBuilder()
			.maximumWeight(maximumBytes)
			.weigher((Key key,
					Entry entry) -> (int) Math.max(minimumWeight,
							Math.min(Integer.MAX_VALUE,
									(long) entry.token().retainedBytes + entry.token().rememberedBytes())))
			.ticker(ticker)
			.executor(Runnable::run)
			.expireAfter(new Expiry<Key, Entry>() {

				@Override
				public long expireAfterCreate(Key key, Entry entry, long currentTime) {
					long expiresAt = entry.token().expiresAt;
					if (expiresAt == 0) {
						return maxAgeNanos;
					}
					// Never beyond exp + skew (§2.6): the cached token must not outlive
					// its validity.
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

	@Nullable Entry get(Key key) {
		return this.cache.getIfPresent(key);
	}

	void put(Key key, Entry entry) {
		this.cache.put(key, entry);
	}

	void invalidate(Key key) {
		this.cache.invalidate(key);
	}

	void invalidateAll() {
		this.cache.invalidateAll();
	}

	long estimatedSize() {
		this.cache.cleanUp();
		return this.cache.estimatedSize();
	}

	long estimatedBytes() {
		this.cache.cleanUp();
		return this.cache.policy().eviction().map((eviction) -> eviction.weightedSize().orElse(0)).orElse(0L);
	}

}
