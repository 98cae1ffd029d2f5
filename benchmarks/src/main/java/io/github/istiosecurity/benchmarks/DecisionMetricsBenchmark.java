package io.github.istiosecurity.benchmarks;

import java.util.concurrent.ThreadLocalRandom;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.autoconfigure.IstioSecurityMetrics;
import io.github.istiosecurity.internal.web.InboundObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The {@link EngineBenchmark} cases (inherited, run in the same JVM for comparison) and
 * the same decisions as the inbound pipeline makes them with metrics on: one decision in
 * {@value InboundObserver#TIMING_SAMPLE} (at random) timed with a clock read before and
 * after, and every decision counted by {@link IstioSecurityMetrics} (the counter of the
 * deciding policy, and of the dry-run results, none here) into a
 * {@link SimpleMeterRegistry}.
 */
public class DecisionMetricsBenchmark extends EngineBenchmark {

	private IstioSecurityMetrics metrics;

	@Setup(Level.Trial)
	public void registerMeters() {
		this.metrics = new IstioSecurityMetrics(new SimpleMeterRegistry());
	}

	@Benchmark
	public Decision allowedByLastPolicyWithMetrics() {
		return observed(this.allowedByLast);
	}

	@Benchmark
	public Decision deniedByDefaultWithMetrics() {
		return observed(this.deniedByDefault);
	}

	@Benchmark
	public Decision deniedByDenyRuleWithMetrics() {
		return observed(this.deniedByDeny);
	}

	/**
	 * What {@code InboundPipeline.decide} does when observed: times one decision in 16,
	 * counts all.
	 */
	private Decision observed(BenchmarkRequest request) {
		if ((ThreadLocalRandom.current().nextInt() & (InboundObserver.TIMING_SAMPLE - 1)) == 0) {
			long start = System.nanoTime();
			Decision decision = this.snapshot.authorize(request);
			this.metrics.decided(decision, System.nanoTime() - start);
			return decision;
		}
		Decision decision = this.snapshot.authorize(request);
		this.metrics.decided(decision, InboundObserver.NOT_TIMED);
		return decision;
	}

}
