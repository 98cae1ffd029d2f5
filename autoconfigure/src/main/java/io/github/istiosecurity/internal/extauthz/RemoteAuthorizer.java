package io.github.istiosecurity.internal.extauthz;

import java.util.concurrent.Semaphore;

import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.RequestAttributes;

/**
 * An extension provider that is a remote authorizer: a check is a call that may fail, and
 * a failed call is answered as Envoy's ext_authz filter answers it (§3.18): the request
 * is denied with {@code statusOnError} and an empty body, or let through when the
 * provider fails open.
 * <p>
 * The caller's thread waits for the answer (a servlet worker, or a {@code boundedElastic}
 * thread on WebFlux), where Envoy waits on nothing. So that a slow or dead authorizer
 * cannot take every worker thread, and with them the requests that no CUSTOM rule
 * matches, at most {@code maxConcurrentChecks} checks of one provider wait at once; a
 * check beyond them fails at once, as a call that Envoy's circuit breaker refuses.
 */
public abstract class RemoteAuthorizer implements ExtensionAuthorizer, AutoCloseable {

	private final ProviderSettings settings;

	private final Semaphore inFlight;

	private final int maxConcurrentChecks;

	/**
	 * Creates the authorizer.
	 * @param settings the provider
	 * @param maxConcurrentChecks how many checks may wait for the authorizer at once
	 */
	protected RemoteAuthorizer(ProviderSettings settings, int maxConcurrentChecks) {
		this.settings = settings;
		this.maxConcurrentChecks = maxConcurrentChecks;
		this.inFlight = new Semaphore(maxConcurrentChecks);
	}

	@Override
	public final String name() {
		return this.settings.name();
	}

	/**
	 * Returns the provider.
	 * @return the settings
	 */
	public final ProviderSettings settings() {
		return this.settings;
	}

	@Override
	public final ExtensionDecision check(RequestAttributes request) {
		if (!this.inFlight.tryAcquire()) {
			return failed(this.maxConcurrentChecks + " checks of this provider are already waiting");
		}
		try {
			return call(request);
		}
		catch (RuntimeException ex) {
			return failed("the check could not be made: " + ex.getClass().getSimpleName());
		}
		finally {
			this.inFlight.release();
		}
	}

	/**
	 * Asks the authorizer, waiting at most the provider's timeout.
	 * @param request the request, before JWT authentication
	 * @return its answer, or {@link #failed(String)} when the call failed
	 */
	protected abstract ExtensionDecision call(RequestAttributes request);

	/**
	 * The answer to a failed call: {@code statusOnError}, or allowed when the provider
	 * fails open.
	 * @param error why, without request data
	 * @return the decision
	 */
	protected final ExtensionDecision failed(String error) {
		return ExtensionDecision.failed(this.settings.failOpen(), this.settings.statusOnError(), error);
	}

	/**
	 * Prepares the client before the first request (threads, classes, a first
	 * connection), so that the first check does not pay for it within its timeout. Never
	 * fails for an authorizer that is not up yet.
	 */
	public abstract void start();

	/** Releases the provider's connections. */
	@Override
	public abstract void close();

	@Override
	public String toString() {
		return this.settings.name() + " (" + this.settings.describe() + ")";
	}

}
