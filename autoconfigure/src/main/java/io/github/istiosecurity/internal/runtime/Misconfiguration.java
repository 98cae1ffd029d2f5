package io.github.istiosecurity.internal.runtime;

/**
 * A reason to believe the loaded policies do not protect this workload as intended, in
 * one line that names the cause and what to check.
 *
 * @param kind what kind of cause it is; at most one finding of each kind is reported per
 * load
 * @param message the one-line description
 */
public record Misconfiguration(Kind kind, String message) {

	/**
	 * The kinds of {@link Misconfiguration}.
	 */
	public enum Kind {

		/** A configured policy location matches no file. */
		UNMATCHED_LOCATION,

		/** AuthorizationPolicies were loaded, but none applies to this workload. */
		NO_AUTHORIZATION_POLICY_APPLIES,

		/** No policy of any kind applies to this workload. */
		NO_POLICY_APPLIES

	}

}
