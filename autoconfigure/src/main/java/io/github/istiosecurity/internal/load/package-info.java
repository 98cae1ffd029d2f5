/**
 * Safe YAML reading and validation of Istio security policies, with every problem named
 * by file, line and field.
 */
@NullMarked
package io.github.istiosecurity.internal.load;

import org.jspecify.annotations.NullMarked;
