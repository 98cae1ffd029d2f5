/**
 * Turns policy records into immutable
 * {@link io.github.istiosecurity.internal.authz.compile.CompiledPolicies}: selects what
 * applies to this workload and compiles rules into matchers; the only place that sees
 * both model and engine.
 */
@NullMarked
package io.github.istiosecurity.internal.authz.compile;

import org.jspecify.annotations.NullMarked;
