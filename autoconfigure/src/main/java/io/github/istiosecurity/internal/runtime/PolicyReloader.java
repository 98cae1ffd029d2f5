package io.github.istiosecurity.internal.runtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Checks the policy sources at a fixed interval on one daemon thread and applies valid
 * changes, so a change is in force within the interval. Sources that announce their
 * changes ({@link PolicySource#onChange}) are checked as soon as they do; a burst of
 * announcements while a check is pending costs one check.
 */
public final class PolicyReloader implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PolicyReloader.class);

	private final PolicyRuntime runtime;

	private final Duration interval;

	private final AtomicBoolean checkPending = new AtomicBoolean();

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Creates the reloader.
	 * @param runtime the runtime to reload
	 * @param interval how often to check
	 */
	public PolicyReloader(PolicyRuntime runtime, Duration interval) {
		this.runtime = runtime;
		this.interval = interval;
		for (PolicySource source : runtime.sources()) {
			source.onChange(this::changed);
		}
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "istio-policy-reload");
			thread.setDaemon(true);
			return thread;
		});
		long millis = Math.max(1, this.interval.toMillis());
		this.executor.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
		// a change announced between the first load and now was not scheduled
		changed();
	}

	private void changed() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null || !this.checkPending.compareAndSet(false, true)) {
			return;
		}
		try {
			executor.execute(() -> {
				// cleared before reading the sources: a change announced during this
				// check schedules another
				this.checkPending.set(false);
				check();
			});
		}
		catch (RejectedExecutionException ex) {
			this.checkPending.set(false);
		}
	}

	private void check() {
		try {
			this.runtime.reloadIfChanged();
		}
		catch (RuntimeException ex) {
			logger.error("Policy reload failed; the last good policies stay in force", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
