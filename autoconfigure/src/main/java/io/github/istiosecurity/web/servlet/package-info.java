/**
 * The servlet API: {@link io.github.istiosecurity.web.servlet.IstioSecurityConfigurer}
 * applies the policies to an application's own {@code SecurityFilterChain},
 * {@link io.github.istiosecurity.web.servlet.IstioAuthorizationManager} decides one
 * request. The filters behind them are internal.
 */
@NullMarked
package io.github.istiosecurity.web.servlet;

import org.jspecify.annotations.NullMarked;
