/**
 * The policies in force at run time: loads them from their sources, compiles them with
 * the JWT rules into one immutable set, and swaps in valid changes atomically while
 * keeping the last good set on errors.
 */
@NullMarked
package io.github.istiosecurity.internal.runtime;

import org.jspecify.annotations.NullMarked;
