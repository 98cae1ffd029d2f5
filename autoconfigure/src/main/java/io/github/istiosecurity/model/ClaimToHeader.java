package io.github.istiosecurity.model;

/**
 * {@code ClaimToHeader}: copy a claim of a verified token to a request header (§2.9).
 *
 * @param header the header name
 * @param claim the claim name; a {@code .} means nesting
 */
public record ClaimToHeader(String header, String claim) {
}
