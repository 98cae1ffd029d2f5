package io.github.istiosecurity.jwt;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The state of one remote key set, for the health indicator: whether keys are held and how the last fetch went.
 *
 * @param issuer the issuer of the rules that use the set
 * @param location the {@code jwksUri}, or the issuer's OpenID discovery document
 * @param hasKeys whether a key set is held and still within the outage tolerance
 * @param fetchedAt when the key set held was fetched, or {@code null} if none ever was
 * @param lastFailure why the last fetch failed, or {@code null} if it succeeded or none ended yet
 * @param lastFailureAt when the last fetch failed, or {@code null}
 */
public record KeySetStatus(String issuer, String location, boolean hasKeys, @Nullable Instant fetchedAt,
		@Nullable String lastFailure, @Nullable Instant lastFailureAt) {

	/**
	 * Returns whether the last fetch failed.
	 * @return whether failing
	 */
	public boolean failing() {
		return this.lastFailure != null;
	}

}
