package io.github.istiosecurity.internal.jwt;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

/**
 * The key sources of all JWT rules, one per (issuer, {@code jwksUri} or inline
 * {@code jwks}), shared across policy reloads so that a reload keeps fetched key sets. As
 * with Istio, where istiod fetches and the proxy answers from the keys it was given
 * (§2.10), no request ever waits for a fetch: remote key sets are fetched and refreshed
 * in the background on {@link KeyFetchThreads} (at most one fetch in flight per source),
 * and a token is checked against the set held at that moment. A token of an issuer whose
 * set was never fetched gets "Jwt verification fails" (istiod's fail-closed key set, D16)
 * and one whose {@code kid} is not in the set "Jwks doesn't have key to match kid or alg
 * from Jwt", at once, while a rate-limited refetch runs; a token signed with a newly
 * published key passes once that refetch is done. Start-up never waits for a fetch. After
 * a reload, the sources no rule uses any more are dropped and closed (their scheduled
 * refreshes stop) once the requests still running on the old policies are done.
 */
public final class JwksKeySources implements AutoCloseable {

	private final JwtSettings settings;

	private final Map<SourceKey, RuleKeySource> sources = new ConcurrentHashMap<>();

	/**
	 * How long an evicted source stays usable by requests that started on the previous
	 * policies.
	 */
	private static final Duration EVICTION_GRACE = Duration.ofSeconds(60);

	private final KeyFetchThreads threads = new KeyFetchThreads();

	private final Executor evictionDelay;

	/**
	 * Evicted sources waiting out the grace period; closed with the rest if the
	 * application stops first.
	 */
	private final Set<RuleKeySource> evicting = ConcurrentHashMap.newKeySet();

	private final LongAdder evictedAndClosed = new LongAdder();

	private volatile boolean closed;

	private volatile KeyFetchListener fetchListener = KeyFetchListener.NONE;

	/**
	 * Creates an empty set of key sources.
	 * @param settings the settings (refresh interval, fetch timeout)
	 */
	public JwksKeySources(JwtSettings settings) {
		this(settings, EVICTION_GRACE);
	}

	JwksKeySources(JwtSettings settings, Duration evictionGrace) {
		this.settings = settings;
		this.evictionDelay = CompletableFuture.delayedExecutor(evictionGrace.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Sets who is told of every key-set fetch (metrics); set it before the first fetch to
	 * see them all.
	 * @param listener the listener
	 */
	public void setFetchListener(KeyFetchListener listener) {
		this.fetchListener = listener;
	}

	private void fetched(String issuer, boolean success) {
		this.fetchListener.fetched(issuer, success);
	}

	/**
	 * Returns the state of every remote key set of the policies in force (inline sets are
	 * always there), for the health indicator.
	 * @return one entry per (issuer, key location)
	 */
	public List<KeySetStatus> status() {
		List<KeySetStatus> status = new ArrayList<>();
		for (RuleKeySource source : this.sources.values()) {
			KeySetStatus one = source.status();
			if (one != null) {
				status.add(one);
			}
		}
		return status;
	}

	/**
	 * Returns the state of the key set a rule verifies tokens with (inline or remote),
	 * without fetching.
	 * @param rule a rule of the policies in force
	 * @return the state; an unreachable or not yet fetched remote set has no keys
	 */
	public KeySetStatus status(JwtRule rule) {
		return forRule(rule).status(rule.issuer());
	}

	/**
	 * Starts fetching the remote key sets of the given rules in the background (those
	 * never fetched before), so that they are there when the first tokens come. Never
	 * blocks and never throws; a failed fetch is retried in the background, and sooner
	 * when a token needs the keys.
	 * @param rules the rules
	 */
	public void warmUp(List<JwtRule> rules) {
		try {
			for (JwtRule rule : rules) {
				if (rule.jwks() == null) {
					forRule(rule).warmUp();
				}
			}
		}
		catch (RuntimeException ex) {
			// Warm-up is an optimisation only.
		}
	}

	/**
	 * Returns the key source of a rule, creating it on first use. Creating never fetches.
	 * @param rule the rule
	 * @return the key source
	 */
	RuleKeySource forRule(JwtRule rule) {
		if (this.closed) {
			return RuleKeySource.unavailable();
		}
		String jwks = rule.jwks();
		return this.sources.computeIfAbsent(keyOf(rule), (k) -> (jwks != null) ? RuleKeySource.inline(jwks)
				: RuleKeySource.remote(rule, this.settings, this.threads, this::fetched));
	}

	/**
	 * Drops the key sources that none of the given rules uses (after a reload: an issuer,
	 * {@code jwksUri} or inline {@code jwks} that is gone) and closes them after a grace
	 * period, so that a request still running on the previous policies can finish with
	 * its keys. A source that a later reload needs again is created anew.
	 * @param rules the rules of the policies now in force
	 */
	public void retainOnly(List<JwtRule> rules) {
		Set<SourceKey> used = new HashSet<>();
		for (JwtRule rule : rules) {
			used.add(keyOf(rule));
		}
		for (SourceKey key : List.copyOf(this.sources.keySet())) {
			if (!used.contains(key)) {
				RuleKeySource evicted = this.sources.remove(key);
				if (evicted != null) {
					this.evicting.add(evicted);
					this.evictionDelay.execute(() -> closeEvicted(evicted));
				}
			}
		}
	}

	private void closeEvicted(RuleKeySource evicted) {
		if (this.evicting.remove(evicted)) {
			closeQuietly(evicted);
			this.evictedAndClosed.increment();
		}
	}

	/**
	 * Returns how many key sources are held: one per (issuer, {@code jwksUri} or inline
	 * {@code jwks}) of the policies in force.
	 * @return the number of key sources
	 */
	public int sourceCount() {
		return this.sources.size();
	}

	/**
	 * Returns how many threads fetch key sets now (busy, or idle for less than 30 s):
	 * never more than the remote key sources, as each has at most one fetch in flight.
	 * @return the number of fetch threads
	 */
	public int fetchThreads() {
		return this.threads.fetchThreads();
	}

	/** How many evicted sources have been closed (for tests). */
	long evictedAndClosed() {
		return this.evictedAndClosed.sum();
	}

	/**
	 * Stops background fetching and releases the key sources.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.threads.close();
		for (RuleKeySource source : this.sources.values()) {
			closeQuietly(source);
		}
		this.sources.clear();
		this.evicting.forEach(this::closeEvicted);
	}

	private static SourceKey keyOf(JwtRule rule) {
		String jwks = rule.jwks();
		return (jwks != null) ? new SourceKey(rule.issuer(), null, jwks)
				: new SourceKey(rule.issuer(), rule.jwksUri(), null);
	}

	private static void closeQuietly(RuleKeySource source) {
		try {
			source.close();
		}
		catch (IOException | RuntimeException ex) {
			// Nothing more to release.
		}
	}

	private record SourceKey(String issuer, @Nullable String jwksUri, @Nullable String jwks) {
	}

}
