package io.github.istiosecurity.internal.jwt;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The threads that fetch remote key sets, shared by all key sources: one scheduler thread
 * that only hands work over (refresh timers, requests from request threads), and one
 * fetch thread per fetch in flight. A key source has at most one fetch in flight, so
 * there are never more fetch threads than key sources, and a {@code jwksUri} that never
 * answers holds only its own source's thread, never another source's fetch nor a request
 * thread. All threads are daemons; idle fetch threads end after 30 s.
 */
final class KeyFetchThreads implements AutoCloseable {

	private final ScheduledThreadPoolExecutor scheduler;

	private final ThreadPoolExecutor fetchers;

	KeyFetchThreads() {
		this.scheduler = new ScheduledThreadPoolExecutor(1, daemons("istio-jwks-scheduler-"));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		// No queue: each fetch gets a thread; the number in flight is bounded by the key
		// sources.
		this.fetchers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				daemons("istio-jwks-fetch-"));
	}

	private static ThreadFactory daemons(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Runs a fetch on a fetch thread, soon. Never blocks the caller, which may be a
	 * request thread: the hand-over goes through the scheduler's queue (Reactor's
	 * BlockHound integration treats that queue as non-blocking).
	 * @param fetch the fetch
	 * @param rejected run instead when the threads are shut down
	 */
	void fetch(Runnable fetch, Runnable rejected) {
		try {
			this.scheduler.execute(() -> startFetch(fetch, rejected));
		}
		catch (RejectedExecutionException ex) {
			rejected.run();
		}
	}

	/**
	 * Runs a fetch on a fetch thread after a delay.
	 * @param fetch the fetch
	 * @param delayNanos the delay
	 * @return the scheduled hand-over, or {@code null} when the threads are shut down
	 */
	@Nullable ScheduledFuture<?> fetchLater(Runnable fetch, long delayNanos) {
		try {
			return this.scheduler.schedule(fetch, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	private void startFetch(Runnable fetch, Runnable rejected) {
		try {
			this.fetchers.execute(fetch);
		}
		catch (RejectedExecutionException ex) {
			rejected.run();
		}
	}

	/**
	 * Returns how many fetch threads exist (busy or idle for less than 30 s).
	 * @return the number of fetch threads
	 */
	int fetchThreads() {
		return this.fetchers.getPoolSize();
	}

	/**
	 * Stops scheduling and interrupts the fetches in flight.
	 */
	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.fetchers.shutdownNow();
	}

}
