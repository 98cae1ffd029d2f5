/**
 * Istio {@code RequestAuthentication} semantics (§2): token extraction, issuer routing, per-rule Spring
 * Security {@code JwtDecoder}s over Nimbus key sources, and the outcome a web adapter applies to the request.
 */
@NullMarked
package io.github.istiosecurity.jwt;

import org.jspecify.annotations.NullMarked;
