/**
 * Small final matchers, the leaves of a compiled policy: strings, paths, IP blocks,
 * ports, identities.
 */
@NullMarked
package io.github.istiosecurity.internal.authz.match;

import org.jspecify.annotations.NullMarked;
