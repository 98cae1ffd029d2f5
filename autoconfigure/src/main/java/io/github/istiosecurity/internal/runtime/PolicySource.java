package io.github.istiosecurity.internal.runtime;

import io.github.istiosecurity.internal.load.LoadResult;

/**
 * Where policies come from: files and classpath entries, or the Kubernetes API.
 */
public interface PolicySource {

	/**
	 * Prepares the source for its first {@link #load()}; the runtime calls it once, when
	 * it starts, before reading. A source that must first fetch (the Kubernetes source
	 * lists every object) does it here and may block; a failure stops start-up. Files
	 * need nothing, which is the default.
	 */
	default void start() {
	}

	/**
	 * Reads every policy of the source.
	 * @return the policies and warnings
	 * @throws io.github.istiosecurity.internal.load.PolicyLoadException naming every
	 * invalid file, line and field
	 */
	LoadResult load();

	/**
	 * Returns a cheap value that changes whenever the content may have changed, so a
	 * reload can skip unchanged sources.
	 * @return the fingerprint
	 */
	String fingerprint();

	/**
	 * Describes the source for logs, e.g. its locations.
	 * @return the description
	 */
	String description();

	/**
	 * Registers a callback that the source calls whenever its content may have changed,
	 * so that a change is applied at once rather than at the next check. Sources that can
	 * only be polled (files) keep the default, which never calls back. The callback is
	 * cheap and may be called from any thread, in bursts.
	 * @param listener the callback
	 */
	default void onChange(Runnable listener) {
	}

}
