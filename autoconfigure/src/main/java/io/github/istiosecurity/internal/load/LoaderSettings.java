package io.github.istiosecurity.internal.load;

import org.jspecify.annotations.Nullable;

/**
 * Options of a {@link PolicyLoader}.
 *
 * @param defaultNamespace the namespace given to documents without
 * {@code metadata.namespace}, or {@code null} to leave it unset (§1.2: Kubernetes would
 * use the client's current namespace)
 */
public record LoaderSettings(@Nullable String defaultNamespace) {

	/**
	 * Returns settings that leave a missing namespace unset.
	 * @return the default settings
	 */
	public static LoaderSettings defaults() {
		return new LoaderSettings(null);
	}

	/**
	 * Returns settings that give documents without a namespace the given one.
	 * @param namespace the namespace, e.g. the application's own
	 * @return the settings
	 */
	public static LoaderSettings withDefaultNamespace(@Nullable String namespace) {
		return new LoaderSettings(namespace);
	}

}
