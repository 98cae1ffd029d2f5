/**
 * Istio {@code RequestAuthentication} semantics (§2): token extraction, issuer routing,
 * per-rule Spring Security {@code JwtDecoder}s over in-memory key sets (remote ones
 * fetched in the background with Nimbus), and the outcome a web adapter applies to the
 * request.
 */
@NullMarked
package io.github.istiosecurity.internal.jwt;

import org.jspecify.annotations.NullMarked;
