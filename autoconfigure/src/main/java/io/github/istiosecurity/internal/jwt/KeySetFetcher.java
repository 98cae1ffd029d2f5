package io.github.istiosecurity.internal.jwt;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.jspecify.annotations.Nullable;

/**
 * Keeps one remote key set fresh in the background (§2.10), like istiod does for the
 * proxy: nothing here ever runs on a request thread except {@link #request()}, which only
 * hands work over. At most one fetch is in flight; a successful fetch is refreshed after
 * the refresh interval; a failed one is retried after 1/20 of the refresh interval (at
 * most 1 min, istiod's first retry), doubling on each consecutive failure up to the
 * refresh interval. Tokens whose key is not in the set ask for a fetch at most once per
 * rate-limit interval (30 s, or half the refresh interval if shorter), so a flood of
 * unknown {@code kid}s costs one fetch.
 */
final class KeySetFetcher implements Closeable {

	private static final long MAX_RATE_LIMIT_NANOS = Duration.ofSeconds(30).toNanos();

	private static final long MAX_FIRST_RETRY_NANOS = Duration.ofMinutes(1).toNanos();

	private final JWKSetSource<SecurityContext> source;

	private final KeyFetchThreads threads;

	private final Consumer<JWKSet> onFetched;

	private final Consumer<@Nullable Exception> onAttempt;

	private final long refreshNanos;

	private final long rateLimitNanos;

	private final AtomicBoolean inFlight = new AtomicBoolean();

	private volatile boolean started;

	/** Whether a token ever asked for a fetch, and when it last started one. */
	private volatile boolean requested;

	private volatile long lastRequestNanos;

	private volatile boolean closed;

	/**
	 * Consecutive failures; only the fetch in flight touches it (the in-flight flag
	 * orders them).
	 */
	private int failures;

	/** The next scheduled fetch; guarded by {@code this}. */
	private @Nullable ScheduledFuture<?> next;

	/**
	 * Creates the fetcher of a key set; nothing is fetched until {@link #start()} or
	 * {@link #request()}.
	 * @param source where the set comes from (Nimbus retrieves and parses it, with its
	 * timeouts and size limit)
	 * @param threads the threads to fetch on
	 * @param refreshInterval how long a fetched set is used before it is refreshed
	 * @param onFetched receives each set fetched
	 * @param onAttempt told of each fetch that ended: {@code null} on success, else the
	 * failure
	 */
	KeySetFetcher(JWKSetSource<SecurityContext> source, KeyFetchThreads threads, Duration refreshInterval,
			Consumer<JWKSet> onFetched, Consumer<@Nullable Exception> onAttempt) {
		this.source = source;
		this.threads = threads;
		this.onFetched = onFetched;
		this.onAttempt = onAttempt;
		this.refreshNanos = refreshInterval.toNanos();
		this.rateLimitNanos = Math.min(MAX_RATE_LIMIT_NANOS, this.refreshNanos / 2);
	}

	/**
	 * Starts the first fetch in the background, unless a fetch was started before. Never
	 * blocks.
	 */
	void start() {
		if (!this.started) {
			begin(false);
		}
	}

	/**
	 * Asks for a fetch because a token needs a key the set does not have (or there is no
	 * set yet). Starts one in the background unless one is in flight or a token started
	 * one less than the rate-limit interval ago. Never blocks: safe on a request thread
	 * or an event loop.
	 */
	void request() {
		begin(true);
	}

	private void begin(boolean requestedByToken) {
		if (this.closed || !this.inFlight.compareAndSet(false, true)) {
			return;
		}
		if (requestedByToken) {
			long now = System.nanoTime();
			if (this.requested && now - this.lastRequestNanos < this.rateLimitNanos) {
				this.inFlight.set(false);
				return;
			}
			this.requested = true;
			this.lastRequestNanos = now;
		}
		this.started = true;
		this.threads.fetch(this::fetch, () -> this.inFlight.set(false));
	}

	/** On a fetch thread. */
	private void fetch() {
		long delay;
		@Nullable Exception failure = null;
		try {
			JWKSet set = this.source.getJWKSet(JWKSetCacheRefreshEvaluator.forceRefresh(), System.currentTimeMillis(),
					null);
			this.failures = 0;
			if (!this.closed) {
				this.onFetched.accept(set);
			}
			delay = this.refreshNanos;
		}
		catch (KeySourceException | RuntimeException ex) {
			// The last good set stays in use (outage tolerance); the failure is not
			// logged per attempt.
			this.failures = Math.min(this.failures + 1, 32);
			delay = retryDelay(this.refreshNanos, this.failures);
			failure = ex;
		}
		finally {
			this.inFlight.set(false);
		}
		if (!this.closed) {
			report(failure);
		}
		// Scheduled only once the flight is over, so the timer never finds this fetch
		// still in flight.
		scheduleNext(delay);
	}

	private void report(@Nullable Exception failure) {
		try {
			this.onAttempt.accept(failure);
		}
		catch (RuntimeException ex) {
			// A listener's failure must not stop the refreshes.
		}
	}

	/**
	 * Returns the delay before the next fetch after consecutive failures: 1/20 of the
	 * refresh interval, at most 1 min, doubling with each failure up to the refresh
	 * interval.
	 * @param refreshNanos the refresh interval
	 * @param failures the consecutive failures, at least 1
	 * @return the delay in nanoseconds
	 */
	static long retryDelay(long refreshNanos, int failures) {
		long delay = Math.max(1, Math.min(MAX_FIRST_RETRY_NANOS, refreshNanos / 20));
		for (int i = 1; i < failures && delay < refreshNanos; i++) {
			delay *= 2;
		}
		return Math.min(delay, refreshNanos);
	}

	private synchronized void scheduleNext(long delayNanos) {
		if (this.closed) {
			return;
		}
		if (this.next != null) {
			this.next.cancel(false);
		}
		this.next = this.threads.fetchLater(() -> begin(false), delayNanos);
	}

	/**
	 * Stops the scheduled refreshes; a fetch in flight ends on its own (its timeouts) and
	 * is then ignored.
	 */
	@Override
	public void close() throws IOException {
		synchronized (this) {
			this.closed = true;
			if (this.next != null) {
				this.next.cancel(false);
				this.next = null;
			}
		}
		this.source.close();
	}

}
