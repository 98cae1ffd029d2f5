/**
 * Tests of an application's Istio policies without a server:
 * {@link io.github.istiosecurity.test.IstioPolicies} loads them,
 * {@link io.github.istiosecurity.test.IstioRequests} describes a request, and
 * {@link io.github.istiosecurity.test.IstioAssertions} asserts the decision, explained
 * when an assertion fails.
 */
@NullMarked
package io.github.istiosecurity.test;

import org.jspecify.annotations.NullMarked;
