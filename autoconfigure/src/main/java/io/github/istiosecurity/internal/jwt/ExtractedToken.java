package io.github.istiosecurity.internal.jwt;

import org.jspecify.annotations.Nullable;

/**
 * A token found at one location of a rule (§2.5).
 *
 * @param value the token text
 * @param header the lower-case name of the header it came from, or {@code null} for a
 * parameter or cookie
 */
record ExtractedToken(String value, @Nullable String header) {
}
