package io.github.istiosecurity.internal.authz.engine;

/**
 * Holds the policy snapshot in force. A reload swaps one reference, so a request that read
 * {@link #current()} is decided entirely by the old set or entirely by the new one; a failed reload never
 * reaches here and the last good snapshot stays.
 */
public final class PolicyEngine {

	private volatile PolicySnapshot current;

	/**
	 * Creates an engine with its first snapshot.
	 * @param initial the snapshot in force
	 */
	public PolicyEngine(PolicySnapshot initial) {
		this.current = initial;
	}

	/**
	 * Returns the snapshot in force; read it once per request.
	 * @return the snapshot
	 */
	public PolicySnapshot current() {
		return this.current;
	}

	/**
	 * Puts a new snapshot in force, atomically.
	 * @param snapshot the new snapshot
	 */
	public void update(PolicySnapshot snapshot) {
		this.current = snapshot;
	}

}
