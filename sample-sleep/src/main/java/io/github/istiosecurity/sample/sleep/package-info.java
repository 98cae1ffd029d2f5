/**
 * The sleep sample: a WebFlux client of sample-httpbin that replays the walk-through and
 * forwards its callers' tokens, itself protected by Istio policies on the reactive stack.
 */
@NullMarked
package io.github.istiosecurity.sample.sleep;

import org.jspecify.annotations.NullMarked;
