/**
 * The WebFlux API:
 * {@link io.github.istiosecurity.web.reactive.IstioServerHttpSecurityConfigurer} applies
 * the policies to an application's own {@code SecurityWebFilterChain},
 * {@link io.github.istiosecurity.web.reactive.IstioReactiveAuthorizationManager} decides
 * one exchange. The web filters behind them are internal.
 */
@NullMarked
package io.github.istiosecurity.web.reactive;

import org.jspecify.annotations.NullMarked;
