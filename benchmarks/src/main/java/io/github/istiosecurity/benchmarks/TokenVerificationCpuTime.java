package io.github.istiosecurity.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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
import io.github.istiosecurity.internal.jwt.JwtSettings;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.model.JwtRule;

/**
 * The cases of {@link TokenVerificationBenchmark} measured in CPU time of the measuring
 * thread rather than in wall-clock throughput, so that other processes on a shared
 * machine do not move the figure: the CPU microseconds one verification of a new token
 * costs, i.e. verifications per second per core. Rounds of 5,000 calls, the three cases
 * in a rotated order, the first rounds discarded as warm-up (3 unless the first argument
 * says otherwise; the second argument is the measured rounds, 9). Run with
 * {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.istiosecurity.benchmarks.TokenVerificationCpuTime [warm-up] [rounds]}.
 */
public final class TokenVerificationCpuTime {

	private TokenVerificationCpuTime() {
	}

	static final String ISSUER = "https://idp.example.com";

	/**
	 * Prints the CPU microseconds per verification of each case.
	 * @param args optionally the warm-up rounds (3) and the measured rounds (9)
	 * @throws Exception if the set-up fails
	 */
	public static void main(String[] args) throws Exception {
		int warmupRounds = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 9;
		int n = 20000;
		KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
		g.initialize(2048);
		KeyPair p = g.generateKeyPair();
		RSAKey key = new RSAKey.Builder((RSAPublicKey) p.getPublic()).privateKey(p.getPrivate())
			.keyID("bench-1")
			.build();
		RSASSASigner signer = new RSASSASigner(key);
		long exp = Instant.now().plusSeconds(86400).getEpochSecond();
		String[] tokens = IntStream.range(0, n).parallel().mapToObj(i -> {
			try {
				SignedJWT j = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench-1").build(),
						new JWTClaimsSet.Builder().issuer(ISSUER)
							.subject("user-" + i)
							.audience("httpbin")
							.expirationTime(new Date(exp * 1000))
							.issueTime(new Date())
							.claim("scope", "read write")
							.claim("groups", List.of("dev", "ops"))
							.build());
				j.sign(signer);
				return j.serialize();
			}
			catch (Exception e) {
				throw new RuntimeException(e);
			}
		}).toArray(String[]::new);
		TokenVerificationBenchmark.BearerRequest[] reqs = Arrays.stream(tokens)
			.map(TokenVerificationBenchmark.BearerRequest::new)
			.toArray(TokenVerificationBenchmark.BearerRequest[]::new);
		JWSVerifier v = new RSASSAVerifier((RSAPublicKey) p.getPublic());
		String jwks = new JWKSet(key.toPublicJWK()).toString();
		JwtRule rule = new JwtRule(ISSUER, List.of("httpbin"), null, jwks, List.of(), List.of(), List.of(), null, false,
				List.of(), JwtRule.DEFAULT_TIMEOUT, List.of(), null);
		JwtSettings s = JwtSettings.defaults();
		JwksKeySources keys = new JwksKeySources(s);
		JwtAuthenticator cached = new JwtAuthenticator(List.of(rule), keys,
				new VerifiedTokenCache(500, VerifiedTokenCache.DEFAULT_MAXIMUM_BYTES, s), s);
		JwtAuthenticator uncached = new JwtAuthenticator(List.of(rule), keys, VerifiedTokenCache.disabled(), s);
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		String[] names = { "nimbusRaw", "starterMiss", "starterMissNoCache" };
		Map<String, List<Double>> us = new LinkedHashMap<>();
		for (String nm : names)
			us.put(nm, new ArrayList<>());
		int sink = 0;
		for (int round = 0; round < warmupRounds + rounds; round++) {
			for (int k = 0; k < 3; k++) {
				String nm = names[(k + round) % 3];
				long c0 = mx.getCurrentThreadCpuTime();
				for (int i = 0; i < 5000; i++) {
					int idx = (round * 5000 + i) % n;
					if (nm.equals("nimbusRaw")) {
						sink += SignedJWT.parse(tokens[idx]).verify(v) ? 1 : 0;
					}
					else if (nm.equals("starterMiss")) {
						sink += cached.authenticate(reqs[idx]).status().ordinal();
					}
					else {
						sink += uncached.authenticate(reqs[idx]).status().ordinal();
					}
				}
				double per = (mx.getCurrentThreadCpuTime() - c0) / 5000.0 / 1000.0;
				if (round >= warmupRounds)
					us.get(nm).add(per);
			}
		}
		for (var e : us.entrySet()) {
			List<Double> l = new ArrayList<>(e.getValue());
			Collections.sort(l);
			System.out.printf("%-20s CPU us/verification: min %.1f median %.1f  -> per core %.0f/s (median)%n",
					e.getKey(), l.get(0), l.get(l.size() / 2), 1e6 / l.get(l.size() / 2));
		}
		System.out.println("(checksum " + sink + ")");
		keys.close();
	}

}
