/**
 * The decision API: what a request is
 * ({@link io.github.istiosecurity.authz.RequestAttributes}), what was decided about it
 * ({@link io.github.istiosecurity.authz.Decision}, naming the policy and rule), and the
 * in-process extension authorizer that CUSTOM policies can delegate to
 * ({@link io.github.istiosecurity.authz.ExtensionAuthorizer}). Everything under
 * {@code io.github.istiosecurity.internal} is the implementation and may change in any
 * release.
 */
@NullMarked
package io.github.istiosecurity.authz;

import org.jspecify.annotations.NullMarked;
