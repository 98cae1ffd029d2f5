package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

import io.github.istiosecurity.sample.testsupport.SampleJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens are untrusted input: the packaged jar, started as a user starts it with
 * {@code -Xmx256m}, takes a flood of byte-distinct spellings of one large valid token
 * ({@code a.b.c}, {@code .a..b.c.}, ... are one token for Envoy, which skips empty
 * pieces) and stays up: every request is answered 200, the live heap after a full GC
 * stays bounded (all spellings share one verified-token cache entry), and a single
 * oversized token is refused with 401. Thousands of distinct large valid tokens keep the
 * heap bounded too: the cache is bounded in bytes, not only in entries. The server's
 * header limit is raised so that the large tokens reach the starter rather than Tomcat's
 * own 8 KB limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileTokenFloodIT {

	/** Byte-distinct spellings sent: tens of thousands, as the issue asks. */
	private static final int REQUESTS = 30_000;

	/**
	 * Distinct valid large tokens: about 200 MB of parsed tokens, ten times the cache's
	 * 16 MiB.
	 */
	private static final int DISTINCT_TOKENS = 3_000;

	private static final int CLIENTS = 4;

	/**
	 * A generous bound for a server that holds one cache entry, well below the 256 MB it
	 * may use.
	 */
	private static final long LIVE_HEAP_BOUND = 150L * 1024 * 1024;

	/**
	 * Stop early once this many requests failed: an overwhelmed server would otherwise
	 * take hours.
	 */
	private static final int MAX_FAILURES = 50;

	private static final Duration FLOOD_BUDGET = Duration.ofMinutes(3);

	private SampleJar httpbin;

	/** The arguments that select the stack (none: servlet on Tomcat). */
	String[] stackArguments() {
		return new String[0];
	}

	@BeforeAll
	void start() throws IOException {
		String[] stack = stackArguments();
		String[] arguments = new String[stack.length + 1];
		arguments[0] = "--server.max-http-request-header-size=128KB";
		System.arraycopy(stack, 0, arguments, 1, stack.length);
		this.httpbin = SampleJar.start("httpbin-token-flood-" + getClass().getSimpleName(),
				SampleJar.jar("httpbin.jar"), arguments);
	}

	@AfterAll
	void stop() {
		if (this.httpbin != null) {
			this.httpbin.close();
		}
	}

	@Test
	void floodOfSpellingsOfOneLargeTokenKeepsTheServerUpAndItsHeapBounded() throws Exception {
		String token = DemoKeyTokens.sign(DemoKeyTokens.user1WithGroups(700));
		assertThat(token.length()).isBetween(12 * 1024, 16 * 1024);
		assertThat(status(token)).isEqualTo(200);
		long liveBefore = liveHeapBytes();

		Instant started = Instant.now();
		Map<String, LongAdder> outcomes = flood(token);
		Duration took = Duration.between(started, Instant.now());
		long liveAfter = this.httpbin.isAlive() ? liveHeapBytes() : -1;
		System.out.printf(
				"token flood: %d spellings of a %d-character token in %d ms: %s; live heap after GC "
						+ "%d MB before, %d MB after%n",
				REQUESTS, token.length(), took.toMillis(), new TreeMap<>(outcomes), liveBefore >> 20, liveAfter >> 20);

		assertThat(outcomes).as("answers to the flood").containsOnlyKeys("200");
		assertThat(outcomes.get("200").sum()).isEqualTo(REQUESTS);
		assertThat(this.httpbin.isAlive()).isTrue();
		assertThat(liveAfter).isPositive().isLessThan(LIVE_HEAP_BOUND);
		assertThat(status(token)).isEqualTo(200);

		String oversized = DemoKeyTokens.sign(DemoKeyTokens.user1WithGroups(4000));
		assertThat(oversized.length()).isGreaterThan(60 * 1024);
		HttpResponse<String> refused = this.httpbin.send("GET", "/status/200", "Authorization", "Bearer " + oversized);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body())
			.isEqualTo("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
		assertThat(refused.headers().firstValue("www-authenticate")).hasValue(
				"Bearer realm=\"http://127.0.0.1:" + this.httpbin.port() + "/status/200\", error=\"invalid_token\"");
	}

	@Test
	void distinctLargeValidTokensAreBoundedByTheCacheByteBound() throws Exception {
		long liveBefore = liveHeapBytes();
		Instant started = Instant.now();
		Map<String, LongAdder> outcomes = send(DISTINCT_TOKENS,
				(i) -> DemoKeyTokens.sign(DemoKeyTokens.user1WithGroups(700, "token-" + i)));
		Duration took = Duration.between(started, Instant.now());
		long liveAfter = this.httpbin.isAlive() ? liveHeapBytes() : -1;
		System.out.printf(
				"distinct tokens: %d valid tokens of about 13.5 KiB in %d ms: %s; live heap after GC "
						+ "%d MB before, %d MB after%n",
				DISTINCT_TOKENS, took.toMillis(), new TreeMap<>(outcomes), liveBefore >> 20, liveAfter >> 20);

		assertThat(outcomes).as("answers").containsOnlyKeys("200");
		assertThat(this.httpbin.isAlive()).isTrue();
		// The cache keeps about 16 MiB of them (verified-token-cache-max-memory), not
		// 10,000 entries.
		assertThat(liveAfter).isPositive().isLessThan(LIVE_HEAP_BOUND);
	}

	private Map<String, LongAdder> flood(String token) throws InterruptedException {
		return send(REQUESTS, (i) -> spelling(token, i));
	}

	/**
	 * Sends tokens from a few keep-alive clients; counts the answers ("200", "500",
	 * "IOException").
	 */
	private Map<String, LongAdder> send(int requests, IntFunction<String> tokens) throws InterruptedException {
		Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
		AtomicInteger next = new AtomicInteger();
		AtomicInteger failures = new AtomicInteger();
		Instant deadline = Instant.now().plus(FLOOD_BUDGET);
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		for (int c = 0; c < CLIENTS; c++) {
			clients.execute(() -> {
				int i;
				while ((i = next.getAndIncrement()) < requests && failures.get() < MAX_FAILURES
						&& Instant.now().isBefore(deadline)) {
					String outcome;
					try {
						outcome = String.valueOf(status(tokens.apply(i)));
					}
					catch (IOException | RuntimeException ex) {
						outcome = ex.getClass().getSimpleName();
					}
					if (!outcome.equals("200")) {
						failures.incrementAndGet();
					}
					outcomes.computeIfAbsent(outcome, (key) -> new LongAdder()).increment();
				}
			});
		}
		clients.shutdown();
		if (!clients.awaitTermination(FLOOD_BUDGET.toSeconds() + 60, TimeUnit.SECONDS)) {
			clients.shutdownNow();
		}
		return outcomes;
	}

	/**
	 * The i-th spelling of the token: empty pieces before, between and after its three
	 * pieces, a distinct combination for every i below 30 x 30 x 40.
	 */
	private static String spelling(String token, int i) {
		String[] pieces = token.split("\\.");
		return ".".repeat(i % 30) + pieces[0] + ".".repeat(1 + (i / 30) % 30) + pieces[1] + "." + pieces[2]
				+ ".".repeat(i / 900);
	}

	private int status(String token) throws IOException {
		return this.httpbin.send("GET", "/status/200", "Authorization", "Bearer " + token).statusCode();
	}

	/**
	 * The bytes of live objects, from the JDK's {@code jcmd <pid> GC.class_histogram},
	 * which runs a full GC first and counts only what survives it.
	 */
	private long liveHeapBytes() throws IOException, InterruptedException {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		Path histogram = Path.of("target", "httpbin-token-flood-histogram.txt").toAbsolutePath();
		Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(this.httpbin.pid()), "GC.class_histogram")
			.redirectErrorStream(true)
			.redirectOutput(histogram.toFile())
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("jcmd did not finish within 60 s");
		}
		String output = Files.readString(histogram);
		for (String line : output.split("\n")) {
			String trimmed = line.trim();
			if (trimmed.startsWith("Total")) {
				String[] columns = trimmed.split("\\s+");
				return Long.parseLong(columns[columns.length - 1]);
			}
		}
		throw new IllegalStateException("no total in the class histogram:\n" + output);
	}

}
