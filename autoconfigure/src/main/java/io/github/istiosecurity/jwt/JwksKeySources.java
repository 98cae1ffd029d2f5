package io.github.istiosecurity.jwt;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.nimbusds.jose.KeySourceException;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

/**
 * The key sources of all JWT rules, one per (issuer, {@code jwksUri} or inline {@code jwks}), shared across
 * policy reloads so that a reload keeps fetched key sets. Remote key sets are Nimbus
 * {@code JWKSourceBuilder} sources with a cache whose time to live is the refresh interval, scheduled
 * refresh-ahead, rate limiting (an unknown {@code kid} triggers at most one refetch per 30 s) and outage
 * tolerance; a set that cannot be fetched makes its tokens fail with "Jwt verification fails" (§2.10, D16),
 * and start-up never waits for a fetch. After a reload, the sources no rule uses any more are dropped and
 * closed (their scheduled refreshes stop) once the requests still running on the old policies are done.
 */
public final class JwksKeySources implements AutoCloseable {

	private final JwtSettings settings;

	private final Map<SourceKey, RuleKeySource> sources = new ConcurrentHashMap<>();

	/** How long an evicted source stays usable by requests that started on the previous policies. */
	private static final Duration EVICTION_GRACE = Duration.ofSeconds(60);

	private final ThreadPoolExecutor warmUp;

	private final Executor evictionDelay;

	/** Evicted sources waiting out the grace period; closed with the rest if the application stops first. */
	private final Set<RuleKeySource> evicting = ConcurrentHashMap.newKeySet();

	private final LongAdder evictedAndClosed = new LongAdder();

	private volatile boolean closed;

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
		this.warmUp = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task) -> {
			Thread thread = new Thread(task, "istio-jwks-warm-up");
			thread.setDaemon(true);
			return thread;
		});
		this.warmUp.allowCoreThreadTimeOut(true);
	}

	/**
	 * Starts fetching the remote key sets of the given rules in the background, so that the first token of
	 * an issuer does not wait for it. Never blocks and never throws; a failed fetch is retried when a token
	 * needs the keys.
	 * @param rules the rules
	 */
	public void warmUp(List<JwtRule> rules) {
		try {
			for (JwtRule rule : rules) {
				if (rule.jwks() == null) {
					RuleKeySource keys = forRule(rule);
					this.warmUp.execute(() -> fetchQuietly(keys));
				}
			}
		}
		catch (RuntimeException ex) {
			// Warm-up is an optimisation only.
		}
	}

	private static void fetchQuietly(RuleKeySource keys) {
		try {
			keys.fetch();
		}
		catch (KeySourceException | RuntimeException ex) {
			// The failure is seen again, and answered with 401, when a token needs these keys.
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
		return this.sources.computeIfAbsent(keyOf(rule),
				(k) -> (jwks != null) ? RuleKeySource.inline(jwks) : RuleKeySource.remote(rule, this.settings));
	}

	/**
	 * Drops the key sources that none of the given rules uses (after a reload: an issuer, {@code jwksUri} or
	 * inline {@code jwks} that is gone) and closes them after a grace period, so that a request still running
	 * on the previous policies can finish with its keys. A source that a later reload needs again is created
	 * anew.
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
	 * Returns how many key sources are held: one per (issuer, {@code jwksUri} or inline {@code jwks}) of the
	 * policies in force.
	 * @return the number of key sources
	 */
	public int sourceCount() {
		return this.sources.size();
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
		this.warmUp.shutdownNow();
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
