package io.github.istiosecurity.internal.jwt;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The state of one key set, for the health indicator and the actuator endpoint: whether
 * keys are held, which, and how the last fetch went.
 *
 * @param issuer the issuer of the rules that use the set
 * @param location the {@code jwksUri}, the issuer's OpenID discovery document, or
 * {@value #INLINE}
 * @param hasKeys whether a key set is held and still within the outage tolerance
 * @param fetchedAt when the key set held was fetched, or {@code null} if none ever was
 * @param lastFailure why the last fetch failed, or {@code null} if it succeeded or none
 * ended yet
 * @param lastFailureAt when the last fetch failed, or {@code null}
 * @param keyIds the {@code kid} of every key held ({@code ""} for a key without one)
 */
public record KeySetStatus(String issuer, String location, boolean hasKeys, @Nullable Instant fetchedAt,
		@Nullable String lastFailure, @Nullable Instant lastFailureAt, List<String> keyIds) {

	/** The location of a rule's inline {@code jwks}. */
	public static final String INLINE = "inline";

	public KeySetStatus {
		keyIds = List.copyOf(keyIds);
	}

	/**
	 * Returns whether the last fetch failed.
	 * @return whether failing
	 */
	public boolean failing() {
		return this.lastFailure != null;
	}

	/**
	 * Returns the state in one word, as the health indicator and the actuator endpoint
	 * show it: {@code ok} (keys held, last fetch fine), {@code pending} (no fetch has
	 * ended yet), {@code failing} (the refresh fails, the keys fetched before are still
	 * in use) or {@code down} (no keys and the last fetch failed: every token of the
	 * issuer is rejected).
	 * @return the state
	 */
	public String state() {
		if (failing()) {
			return this.hasKeys ? "failing" : "down";
		}
		return this.hasKeys ? "ok" : "pending";
	}

}
