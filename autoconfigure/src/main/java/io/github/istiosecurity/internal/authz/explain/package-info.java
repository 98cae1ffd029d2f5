/**
 * Explanations of decisions, for diagnostics (the actuator endpoint, policy tests): for
 * every AuthorizationPolicy that applies, whether it matched a request and which
 * {@code from}/{@code to}/{@code when} entry did not. Never on a request's path.
 */
@NullMarked
package io.github.istiosecurity.internal.authz.explain;

import org.jspecify.annotations.NullMarked;
