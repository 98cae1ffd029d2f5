package io.github.istiosecurity.jwt;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jose.util.events.Event;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

/**
 * The keys of one (issuer, key location): a Nimbus {@link JWKSource} that does all fetching and caching
 * (§2.10), plus the last key set it reported, which is only used to tell Istio's statuses apart when no key
 * is selected and to drop verified tokens whose key has left the set. It never serves keys itself.
 */
final class RuleKeySource implements Closeable {

	/** Largest JWKS document accepted. */
	static final int SIZE_LIMIT = 512 * 1024;

	/** istiod evicts a key set not refreshed for 7 days (§2.10); we serve the last good one that long. */
	private static final Duration OUTAGE_TOLERANCE = Duration.ofDays(7);

	private final JWKSource<SecurityContext> source;

	private volatile @Nullable KnownKeys known;

	/** Whether keys come over the network ({@code jwksUri} or discovery), so a look-up may block. */
	private final boolean remote;

	/** Key look-ups, i.e. tokens that needed a signature verification (the cache tests count them). */
	private final LongAdder lookups = new LongAdder();

	private RuleKeySource(JWKSource<SecurityContext> source, @Nullable KnownKeys known) {
		this.source = source;
		this.known = known;
		this.remote = false;
	}

	private RuleKeySource(JWKSetSource<SecurityContext> remote, Duration refreshInterval, Duration timeout) {
		this.remote = true;
		long ttl = refreshInterval.toMillis();
		// Nimbus requires refresh-ahead + refresh timeout <= ttl and rate-limit interval < ttl.
		long refreshTimeout = Math.min(timeout.toMillis(), ttl / 2);
		long refreshAhead = Math.min(30_000, ttl / 4);
		long rateLimit = Math.min(30_000, ttl / 2);
		this.source = JWKSourceBuilder.create(remote)
			.retrying(false)
			.cache(ttl, refreshTimeout)
			.refreshAheadCache(refreshAhead, true, this::onCacheEvent)
			.rateLimited(rateLimit)
			.outageTolerant(OUTAGE_TOLERANCE.toMillis())
			.build();
	}

	/**
	 * The keys of an inline {@code jwks}: public parts only, except {@code oct} keys, which Envoy uses for
	 * {@code HS*} (§2.6). A set that does not parse has no key ("Jwks doesn't have any valid public key").
	 */
	static RuleKeySource inline(String jwks) {
		JWKSet keys = publicKeys(jwks);
		return new RuleKeySource(new ImmutableJWKSet<>(keys), KnownKeys.of(keys));
	}

	/**
	 * The keys of a {@code jwksUri}, or of OpenID discovery when {@code jwksUri} is {@code null}.
	 */
	static RuleKeySource remote(JwtRule rule, JwtSettings settings) {
		// The model fills Istio's default when timeout is absent; then the settings decide.
		Duration timeout = rule.timeout().equals(JwtRule.DEFAULT_TIMEOUT) ? settings.jwksFetchTimeout()
				: rule.timeout();
		int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
		ResourceRetriever retriever = new DefaultResourceRetriever(millis, millis, SIZE_LIMIT);
		try {
			String jwksUri = rule.jwksUri();
			JWKSetSource<SecurityContext> remote;
			if (jwksUri != null && !jwksUri.isEmpty()) {
				remote = new URLBasedJWKSetSource<>(url(jwksUri), retriever);
			}
			else {
				remote = new OpenIdDiscoveryJwkSetSource(
						url(OpenIdDiscoveryJwkSetSource.configurationLocation(rule.issuer())), retriever);
			}
			return new RuleKeySource(remote, settings.jwksRefreshInterval(), timeout);
		}
		catch (IOException | IllegalArgumentException ex) {
			// Validation refuses such URLs; if one gets here anyway, tokens fail closed (D16).
			return unavailable();
		}
	}

	/** A source that never has keys: every token gets "Jwt verification fails" (D16). */
	static RuleKeySource unavailable() {
		return new RuleKeySource((selector, context) -> {
			throw new KeySourceException("No key source");
		}, null);
	}

	private static URL url(String location) throws IOException {
		URL url = URI.create(location).toURL();
		if (!url.getProtocol().equals("http") && !url.getProtocol().equals("https")) {
			throw new IOException("Not an http(s) URL");
		}
		return url;
	}

	/**
	 * Returns the keys the selector picks, refreshing a remote set once (rate-limited) when none matches.
	 * @param selector the selector
	 * @return the keys
	 * @throws KeySourceException when the set cannot be obtained
	 */
	List<JWK> get(JWKSelector selector) throws KeySourceException {
		this.lookups.increment();
		return this.source.get(selector, null);
	}

	/**
	 * Returns the key set last reported by the source.
	 * @return the keys, or {@code null} if none was ever obtained
	 */
	@Nullable KnownKeys known() {
		return this.known;
	}

	/**
	 * Returns whether a look-up may wait for the network: the keys of a {@code jwksUri} or of discovery
	 * (inline keys never do).
	 * @return whether the source is remote
	 */
	boolean remote() {
		return this.remote;
	}

	long lookups() {
		return this.lookups.sum();
	}

	/**
	 * Fetches the remote set now, if there is one; for start-up warm-up. The selector matches every key, so
	 * a non-empty set never triggers Nimbus' refetch (which would spend the rate limit).
	 */
	void fetch() throws KeySourceException {
		this.source.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
	}

	private void onCacheEvent(Event<CachingJWKSetSource<SecurityContext>, SecurityContext> event) {
		if (event instanceof CachingJWKSetSource.RefreshCompletedEvent<?> completed) {
			this.known = KnownKeys.of(completed.getJWKSet());
		}
	}

	@Override
	public void close() throws IOException {
		if (this.source instanceof Closeable closeable) {
			closeable.close();
		}
	}

	private static JWKSet publicKeys(String jwks) {
		try {
			Map<String, @Nullable Object> json = TokenJson.parseObject(jwks);
			if (json == null) {
				return new JWKSet();
			}
			// Istio also accepts a single JWK (jwk.Parse), §2.2.
			JWKSet set = json.containsKey("keys") ? JWKSet.parse(jwks) : new JWKSet(JWK.parse(jwks));
			List<JWK> keys = new ArrayList<>();
			for (JWK key : set.getKeys()) {
				JWK usable = (key instanceof OctetSequenceKey) ? key : key.toPublicJWK();
				if (usable != null) {
					keys.add(usable);
				}
			}
			return new JWKSet(keys);
		}
		catch (ParseException | RuntimeException ex) {
			return new JWKSet();
		}
	}

	/**
	 * A key set as last reported, with the thumbprints of its keys.
	 *
	 * @param set the keys
	 * @param thumbprints the RFC 7638 thumbprints of the keys
	 */
	record KnownKeys(JWKSet set, Set<String> thumbprints) {

		static KnownKeys of(JWKSet set) {
			Set<String> thumbprints = new HashSet<>();
			for (JWK key : set.getKeys()) {
				thumbprints.add(thumbprint(key));
			}
			return new KnownKeys(set, Set.copyOf(thumbprints));
		}

	}

	static String thumbprint(JWK key) {
		try {
			return key.computeThumbprint().toString();
		}
		catch (JOSEException ex) {
			return "kid:" + key.getKeyID();
		}
	}

}
