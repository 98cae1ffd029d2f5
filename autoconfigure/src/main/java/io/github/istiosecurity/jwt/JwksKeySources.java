package io.github.istiosecurity.jwt;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.KeySourceException;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

/**
 * The key sources of all JWT rules, one per (issuer, {@code jwksUri} or inline {@code jwks}), shared across
 * policy reloads so that a reload keeps fetched key sets. Remote key sets are Nimbus
 * {@code JWKSourceBuilder} sources with a cache whose time to live is the refresh interval, scheduled
 * refresh-ahead, rate limiting (an unknown {@code kid} triggers at most one refetch per 30 s) and outage
 * tolerance; a set that cannot be fetched makes its tokens fail with "Jwt verification fails" (§2.10, D16),
 * and start-up never waits for a fetch.
 */
public final class JwksKeySources implements AutoCloseable {

	private final JwtSettings settings;

	private final Map<SourceKey, RuleKeySource> sources = new ConcurrentHashMap<>();

	private final ThreadPoolExecutor warmUp;

	private volatile boolean closed;

	/**
	 * Creates an empty set of key sources.
	 * @param settings the settings (refresh interval, fetch timeout)
	 */
	public JwksKeySources(JwtSettings settings) {
		this.settings = settings;
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
		SourceKey key = (jwks != null) ? new SourceKey(rule.issuer(), null, jwks)
				: new SourceKey(rule.issuer(), rule.jwksUri(), null);
		return this.sources.computeIfAbsent(key,
				(k) -> (jwks != null) ? RuleKeySource.inline(jwks) : RuleKeySource.remote(rule, this.settings));
	}

	/**
	 * Stops background fetching and releases the key sources.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.warmUp.shutdownNow();
		for (RuleKeySource source : this.sources.values()) {
			try {
				source.close();
			}
			catch (IOException | RuntimeException ex) {
				// Nothing more to release.
			}
		}
		this.sources.clear();
	}

	private record SourceKey(String issuer, @Nullable String jwksUri, @Nullable String jwks) {
	}

}
