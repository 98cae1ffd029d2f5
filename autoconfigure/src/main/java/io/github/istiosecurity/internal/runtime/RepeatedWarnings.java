package io.github.istiosecurity.internal.runtime;

import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;

/**
 * Logs a warning only when its cause is new since the last applied load: reloads with the
 * same cause stay quiet, and a cause that went away is reported again when it comes back.
 */
final class RepeatedWarnings {

	private Set<String> reported = Set.of();

	/**
	 * Logs the warnings whose cause was not reported for the previous load, and remembers
	 * this load's causes.
	 * @param logger where to log
	 * @param warnings each warning's message by its cause (what makes two warnings the
	 * same one)
	 */
	void report(Log logger, Map<String, String> warnings) {
		warnings.forEach((cause, message) -> {
			if (!this.reported.contains(cause)) {
				logger.warn(message);
			}
		});
		this.reported = Set.copyOf(warnings.keySet());
	}

}
