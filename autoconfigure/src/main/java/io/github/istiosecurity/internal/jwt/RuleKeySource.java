package io.github.istiosecurity.internal.jwt;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

/**
 * The keys of one (issuer, key location), as an in-memory snapshot: a token's key is only
 * ever looked up in the set held now, so verification never waits for the network. A
 * remote set ({@code jwksUri} or discovery) is fetched and refreshed in the background by
 * its {@link KeySetFetcher} (Nimbus retrieves and parses it), and is served until a newer
 * one replaces it; if every refresh fails, for at most the outage tolerance (§2.10).
 */
final class RuleKeySource implements Closeable {

	/** Largest JWKS document accepted. */
	static final int SIZE_LIMIT = 512 * 1024;

	/**
	 * istiod evicts a key set not refreshed for 7 days (§2.10); we serve the last good
	 * one that long.
	 */
	static final Duration OUTAGE_TOLERANCE = Duration.ofDays(7);

	/**
	 * Fetches a remote set; {@code null} for inline keys and for a source that never has
	 * keys.
	 */
	private final @Nullable KeySetFetcher fetcher;

	/**
	 * Measures a remote set's age (the settings' clock, the one token times are checked
	 * against).
	 */
	private final Clock clock;

	private volatile @Nullable Snapshot snapshot;

	/** The issuer and location of a remote set; {@code null} for inline keys. */
	private final @Nullable String issuer;

	private final @Nullable String location;

	/** Why the last fetch failed and when, or {@code null} after a success. */
	private volatile @Nullable Failure lastFailure;

	/**
	 * Key look-ups, i.e. tokens that needed a signature verification (the cache tests
	 * count them).
	 */
	private final LongAdder lookups = new LongAdder();

	private RuleKeySource(@Nullable KnownKeys keys) {
		this.fetcher = null;
		this.issuer = null;
		this.location = null;
		this.clock = Clock.systemUTC();
		this.snapshot = (keys != null) ? new Snapshot(keys, Long.MAX_VALUE) : null;
	}

	private RuleKeySource(JWKSetSource<SecurityContext> remote, KeyFetchThreads threads, JwtSettings settings,
			String issuer, String location, KeyFetchListener listener) {
		this.clock = settings.clock();
		this.issuer = issuer;
		this.location = location;
		this.fetcher = new KeySetFetcher(remote, threads, settings.jwksRefreshInterval(), this::fetched,
				(failure) -> attempted(failure, listener));
	}

	/**
	 * The keys of an inline {@code jwks}: public parts only, except {@code oct} keys,
	 * which Envoy uses for {@code HS*} (§2.6). A set that does not parse has no key
	 * ("Jwks doesn't have any valid public key").
	 */
	static RuleKeySource inline(String jwks) {
		return new RuleKeySource(KnownKeys.of(publicKeys(jwks)));
	}

	/**
	 * The keys of a {@code jwksUri}, or of OpenID discovery when {@code jwksUri} is
	 * {@code null}. Nothing is fetched until {@link #warmUp()} or a token asks for the
	 * keys.
	 */
	static RuleKeySource remote(JwtRule rule, JwtSettings settings, KeyFetchThreads threads,
			KeyFetchListener listener) {
		// The model fills Istio's default when timeout is absent; then the settings
		// decide.
		Duration timeout = rule.timeout().equals(JwtRule.DEFAULT_TIMEOUT) ? settings.jwksFetchTimeout()
				: rule.timeout();
		int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
		ResourceRetriever retriever = new DefaultResourceRetriever(millis, millis, SIZE_LIMIT);
		try {
			String jwksUri = rule.jwksUri();
			JWKSetSource<SecurityContext> remote;
			String location;
			if (jwksUri != null && !jwksUri.isEmpty()) {
				location = jwksUri;
				remote = new URLBasedJWKSetSource<>(url(jwksUri), retriever);
			}
			else {
				location = OpenIdDiscoveryJwkSetSource.configurationLocation(rule.issuer());
				remote = new OpenIdDiscoveryJwkSetSource(url(location), retriever);
			}
			return new RuleKeySource(remote, threads, settings, rule.issuer(), location, listener);
		}
		catch (IOException | IllegalArgumentException ex) {
			// Validation refuses such URLs; if one gets here anyway, tokens fail closed
			// (D16).
			return unavailable();
		}
	}

	/** A source that never has keys: every token gets "Jwt verification fails" (D16). */
	static RuleKeySource unavailable() {
		return new RuleKeySource(null);
	}

	private static URL url(String location) throws IOException {
		URL url = URI.create(location).toURL();
		if (!url.getProtocol().equals("http") && !url.getProtocol().equals("https")) {
			throw new IOException("Not an http(s) URL");
		}
		return url;
	}

	/**
	 * Returns the keys to verify a token with, as held now; never waits. Counts a
	 * look-up.
	 * @return the keys, or {@code null} when there are none yet (never fetched, or older
	 * than the outage tolerance)
	 */
	@Nullable KnownKeys lookUp() {
		this.lookups.increment();
		return known();
	}

	/**
	 * Asks for the remote set to be fetched again because a token needs a key it does not
	 * have (key rotation, or no set yet). Returns at once; the fetch is rate-limited and
	 * coalesced (see {@link KeySetFetcher}). Nothing for inline keys.
	 */
	void refetchSoon() {
		if (this.fetcher != null) {
			this.fetcher.request();
		}
	}

	/**
	 * Starts fetching the remote set in the background if no fetch was ever started; for
	 * start-up warm-up. Returns at once.
	 */
	void warmUp() {
		if (this.fetcher != null) {
			this.fetcher.start();
		}
	}

	/**
	 * Returns the keys held now.
	 * @return the keys, or {@code null} if none were ever obtained or the last good
	 * remote set is older than the outage tolerance
	 */
	@Nullable KnownKeys known() {
		Snapshot snapshot = this.snapshot;
		if (snapshot == null) {
			return null;
		}
		if (this.fetcher != null && this.clock.millis() - snapshot.fetchedAtMillis() > OUTAGE_TOLERANCE.toMillis()) {
			// Every refresh failed for too long: istiod would have evicted the set (fail
			// closed, D16).
			return null;
		}
		return snapshot.keys();
	}

	long lookups() {
		return this.lookups.sum();
	}

	private void fetched(JWKSet set) {
		this.snapshot = new Snapshot(KnownKeys.of(set), this.clock.millis());
	}

	private void attempted(@Nullable Exception failure, KeyFetchListener listener) {
		this.lastFailure = (failure != null) ? new Failure(describe(failure), this.clock.millis()) : null;
		listener.fetched(String.valueOf(this.issuer), failure == null);
	}

	/**
	 * The failure's own words (Nimbus names the URL and the I/O error), never a key, at
	 * most one line.
	 */
	private static String describe(Exception failure) {
		String message = failure.getMessage();
		Throwable cause = failure.getCause();
		if (cause != null && cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
			message = ((message != null) ? message + ": " : "") + cause.getMessage();
		}
		String text = (message != null) ? message : failure.getClass().getSimpleName();
		text = text.replaceAll("[\\r\\n\\t]+", " ");
		return (text.length() > 300) ? text.substring(0, 300) + "..." : text;
	}

	/**
	 * Returns the state of a remote set for the health indicator.
	 * @return the state, or {@code null} for inline keys and sources that never have keys
	 */
	@Nullable KeySetStatus status() {
		String issuer = this.issuer;
		if (this.fetcher == null || issuer == null) {
			return null;
		}
		return status(issuer);
	}

	/**
	 * Returns the state of the set, remote or inline.
	 * @param issuer the issuer whose rule uses the set
	 * @return the state
	 */
	KeySetStatus status(String issuer) {
		Snapshot snapshot = this.snapshot;
		Failure failure = this.lastFailure;
		KnownKeys keys = known();
		List<String> keyIds = new ArrayList<>();
		if (keys != null) {
			for (JWK key : keys.set().getKeys()) {
				keyIds.add((key.getKeyID() != null) ? key.getKeyID() : "");
			}
		}
		String location = (this.fetcher != null) ? this.location : null;
		boolean remote = location != null;
		return new KeySetStatus(issuer, (location != null) ? location : KeySetStatus.INLINE, keys != null,
				(remote && snapshot != null) ? Instant.ofEpochMilli(snapshot.fetchedAtMillis()) : null,
				(failure != null) ? failure.reason() : null,
				(failure != null) ? Instant.ofEpochMilli(failure.atMillis()) : null, keyIds);
	}

	/**
	 * Stops the background refreshes of a remote set.
	 */
	@Override
	public void close() throws IOException {
		if (this.fetcher != null) {
			this.fetcher.close();
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
	 * A key set, with what verifying and caching need of each key, prepared once when the
	 * set arrives: its thumbprint (every verified token is cached with it, and computing
	 * it there, JSON and SHA-256, made a cache miss slower than no cache) and its
	 * verifier.
	 *
	 * @param set the keys
	 * @param thumbprints the RFC 7638 thumbprints of the keys
	 * @param prepared the thumbprint and verifier of each key of the set, by identity
	 */
	record KnownKeys(JWKSet set, Set<String> thumbprints, Map<JWK, PreparedKey> prepared) {

		static KnownKeys of(JWKSet set) {
			Map<JWK, PreparedKey> prepared = new IdentityHashMap<>();
			Set<String> thumbprints = new HashSet<>();
			for (JWK key : set.getKeys()) {
				String thumbprint = thumbprint(key);
				thumbprints.add(thumbprint);
				prepared.put(key, new PreparedKey(thumbprint, TokenSignature.verifierOf(key)));
			}
			return new KnownKeys(set, Set.copyOf(thumbprints), Collections.unmodifiableMap(prepared));
		}

		/**
		 * Returns the thumbprint of a key, computed once for the keys of this set.
		 * @param key a key, normally selected from {@link #set()}
		 * @return its thumbprint
		 */
		String thumbprintOf(JWK key) {
			PreparedKey prepared = this.prepared.get(key);
			return (prepared != null) ? prepared.thumbprint() : thumbprint(key);
		}

		/**
		 * Returns the verifier of a key, built once for the keys of this set.
		 * @param key a key, normally selected from {@link #set()}
		 * @return its verifier, or {@code null} if it verifies nothing
		 */
		@Nullable JWSVerifier verifierOf(JWK key) {
			PreparedKey prepared = this.prepared.get(key);
			return (prepared != null) ? prepared.verifier() : TokenSignature.verifierOf(key);
		}

	}

	/**
	 * What a key of a set brings, computed once.
	 *
	 * @param thumbprint its RFC 7638 thumbprint
	 * @param verifier its verifier, or {@code null} if it verifies nothing
	 */
	record PreparedKey(String thumbprint, @Nullable JWSVerifier verifier) {
	}

	/** Why a fetch failed and when. */
	private record Failure(String reason, long atMillis) {
	}

	/** A key set and when it was fetched. */
	private record Snapshot(KnownKeys keys, long fetchedAtMillis) {
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
