/**
 * The httpbin sample: endpoints, demo policies and the hand-written Spring Security
 * variant.
 */
@NullMarked
package io.github.istiosecurity.sample.httpbin;

import org.jspecify.annotations.NullMarked;
