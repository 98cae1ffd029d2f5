package io.github.istiosecurity.benchmarks;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.JwtAuthenticator;
import io.github.istiosecurity.internal.jwt.JwtOutcome;
import io.github.istiosecurity.internal.jwt.JwtSettings;
import io.github.istiosecurity.internal.jwt.TokenRequest;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.model.JwtRule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Step 3 of a request (RequestAuthentication, §2.6) when every request carries a token
 * never seen before: RS256 with a 2048-bit key from an inline JWKS, real signatures, a
 * distinct {@code sub} per token, {@code exp} a day ahead. Each thread walks the same
 * cycle of tokens from its own offset, so a token comes back only after
 * {@link Tokens#count} verifications in all; the cycle is 40 times what the
 * verified-token cache holds, and the set-up of {@code starterMiss} measures how many
 * calls of one cycle still hit. Cases:
 * <ul>
 * <li>{@code nimbusRaw}: Nimbus alone, {@code SignedJWT.parse} and an
 * {@code RSASSAVerifier} built once: the floor;</li>
 * <li>{@code nimbusJwtDecoder}: Spring Security's
 * {@code NimbusJwtDecoder.withPublicKey(...)} with its default validators, for
 * reference;</li>
 * <li>{@code starterMiss}: the starter's entry point as the inbound pipeline calls it
 * ({@code JwtAuthenticator.authenticate}: token extraction, format, issuer, time and
 * audience checks, key selection, signature, request principal and claims, cache insert)
 * with the default cache;</li>
 * <li>{@code starterMissNoCache}: the same with the cache off, as without Caffeine or
 * with {@code verified-token-cache-size: 0};</li>
 * <li>{@code starterHit}: one token again and again, the cache hit.</li>
 * </ul>
 * Run with {@code -t 2} for two threads and {@code -prof gc} for the bytes per call.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class TokenVerificationBenchmark {

	static final String ISSUER = "https://idp.example.com";

	static final String AUDIENCE = "httpbin";

	/** The signed tokens and the verifiers; built once per run. */
	@State(Scope.Benchmark)
	public static class Tokens {

		/**
		 * How many distinct tokens a cycle has: several times what the default cache
		 * holds, so that a cycle is (almost) all misses.
		 */
		@Param({ "20000" })
		public int count;

		/**
		 * The cache's entry bound ({@code verified-token-cache-size}, 10,000 by default;
		 * the default 16 MiB bound holds about 4,900 of these tokens). A cycle 40 times
		 * larger keeps hits rare: the cache admits by frequency (W-TinyLFU), so a few
		 * tokens of a cycle may still be there when it comes round again.
		 */
		@Param({ "500" })
		public int cacheSize;

		String[] tokens;

		TokenRequest[] requests;

		JWSVerifier nimbusVerifier;

		JwtDecoder nimbusDecoder;

		JwtAuthenticator cached;

		VerifiedTokenCache cache;

		JwtAuthenticator uncached;

		private JwksKeySources keys;

		@Setup(Level.Trial)
		public void sign(BenchmarkParams params) throws NoSuchAlgorithmException {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate())
				.keyID("bench-1")
				.build();
			RSASSASigner signer;
			try {
				signer = new RSASSASigner(key);
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
			long exp = Instant.now().plusSeconds(86_400).getEpochSecond();
			// Signing is the slow part of the set-up (about 1 ms a token): use every
			// core.
			this.tokens = IntStream.range(0, this.count)
				.parallel()
				.mapToObj((i) -> sign(signer, "user-" + i, exp))
				.toArray(String[]::new);
			this.requests = new TokenRequest[this.count];
			for (int i = 0; i < this.count; i++) {
				this.requests[i] = new BearerRequest(this.tokens[i]);
			}
			RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
			this.nimbusVerifier = new RSASSAVerifier(publicKey);
			this.nimbusDecoder = NimbusJwtDecoder.withPublicKey(publicKey).build();
			String jwks = new JWKSet(key.toPublicJWK()).toString();
			JwtRule rule = new JwtRule(ISSUER, List.of(AUDIENCE), null, jwks, List.of(), List.of(), List.of(), null,
					false, List.of(), JwtRule.DEFAULT_TIMEOUT, List.of(), null);
			JwtSettings settings = JwtSettings.defaults();
			this.keys = new JwksKeySources(settings);
			this.cache = new VerifiedTokenCache(this.cacheSize, VerifiedTokenCache.DEFAULT_MAXIMUM_BYTES, settings);
			this.cached = new JwtAuthenticator(List.of(rule), this.keys, this.cache, settings);
			this.uncached = new JwtAuthenticator(List.of(rule), this.keys, VerifiedTokenCache.disabled(), settings);
			checkAuthenticated(this.cached.authenticate(this.requests[0]));
			checkAuthenticated(this.uncached.authenticate(this.requests[0]));
			if (params.getBenchmark().endsWith(".starterMiss")) {
				reportHits();
			}
		}

		/**
		 * Fills the cache with two cycles, then times each call of a third: a call under
		 * 5 µs cannot have verified an RSA signature, so it was a hit.
		 */
		private void reportHits() {
			for (int round = 0; round < 2; round++) {
				for (TokenRequest request : this.requests) {
					this.cached.authenticate(request);
				}
			}
			int hits = 0;
			for (TokenRequest request : this.requests) {
				long start = System.nanoTime();
				this.cached.authenticate(request);
				if (System.nanoTime() - start < 5_000) {
					hits++;
				}
			}
			System.out.printf(
					"%n[set-up] %d tokens; cache holds %d entries (%d KiB); hits in one cycle: %d (%.1f %%)%n",
					this.count, this.cache.estimatedSize(), this.cache.estimatedBytes() / 1024, hits,
					100.0 * hits / this.count);
		}

		@TearDown(Level.Trial)
		public void close() {
			this.keys.close();
		}

		private static String sign(RSASSASigner signer, String subject, long exp) {
			JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
				.subject(subject)
				.audience(AUDIENCE)
				.expirationTime(new java.util.Date(exp * 1000))
				.issueTime(new java.util.Date())
				.claim("scope", "read write")
				.claim("groups", List.of("dev", "ops"))
				.build();
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench-1").build(), claims);
			try {
				jwt.sign(signer);
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
			return jwt.serialize();
		}

		private static void checkAuthenticated(JwtOutcome outcome) {
			if (outcome.status() != JwtOutcome.Status.AUTHENTICATED || outcome.requestPrincipal() == null) {
				throw new IllegalStateException("benchmark setup is wrong: " + outcome);
			}
		}

	}

	/** Where a thread is in the cycle: threads start apart, evenly spread. */
	@State(Scope.Thread)
	public static class Cursor {

		int next;

		@Setup(Level.Trial)
		public void place(Tokens tokens, ThreadParams thread) {
			this.next = (int) ((long) tokens.count * thread.getThreadIndex() / thread.getThreadCount());
		}

		int advance(int count) {
			int current = this.next;
			this.next = (current + 1 == count) ? 0 : current + 1;
			return current;
		}

	}

	@Benchmark
	public boolean nimbusRaw(Tokens tokens, Cursor cursor) throws ParseException, JOSEException {
		SignedJWT jwt = SignedJWT.parse(tokens.tokens[cursor.advance(tokens.count)]);
		return jwt.verify(tokens.nimbusVerifier);
	}

	@Benchmark
	public Jwt nimbusJwtDecoder(Tokens tokens, Cursor cursor) {
		return tokens.nimbusDecoder.decode(tokens.tokens[cursor.advance(tokens.count)]);
	}

	@Benchmark
	public JwtOutcome starterMiss(Tokens tokens, Cursor cursor) {
		return tokens.cached.authenticate(tokens.requests[cursor.advance(tokens.count)]);
	}

	@Benchmark
	public JwtOutcome starterMissNoCache(Tokens tokens, Cursor cursor) {
		return tokens.uncached.authenticate(tokens.requests[cursor.advance(tokens.count)]);
	}

	@Benchmark
	public JwtOutcome starterHit(Tokens tokens) {
		return tokens.cached.authenticate(tokens.requests[0]);
	}

	/**
	 * A request with the token in {@code Authorization: Bearer}, as a client sends it.
	 */
	static final class BearerRequest implements TokenRequest {

		private final List<String> authorization;

		BearerRequest(String token) {
			this.authorization = List.of("Bearer " + token);
		}

		@Override
		public String method() {
			return "GET";
		}

		@Override
		public List<String> headerValues(String lowerCaseName) {
			return "authorization".equals(lowerCaseName) ? this.authorization : List.of();
		}

		@Override
		public String queryParameter(String name) {
			return null;
		}

		@Override
		public String cookie(String name) {
			return null;
		}

	}

}
