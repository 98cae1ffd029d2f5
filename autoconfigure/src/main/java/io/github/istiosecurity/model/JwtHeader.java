package io.github.istiosecurity.model;

/**
 * {@code JWTHeader}: a header that carries a token, optionally after a prefix (§2.5).
 *
 * @param name the header name (case-insensitive)
 * @param prefix the prefix before the token, {@code ""} for none (case-sensitive)
 */
public record JwtHeader(String name, String prefix) {
}
