/**
 * WebFlux enforcement: a Spring Security {@code WebFilter} and
 * {@code ReactiveAuthorizationManager} over the same compiled policies and engine as the
 * servlet stack, never blocking an event-loop thread.
 */
@NullMarked
package io.github.istiosecurity.internal.web.reactive;

import org.jspecify.annotations.NullMarked;
