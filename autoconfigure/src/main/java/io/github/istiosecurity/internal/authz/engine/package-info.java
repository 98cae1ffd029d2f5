/**
 * The engine: compiled policy snapshots, request attributes and decisions; no web-stack,
 * YAML or Spring Security types.
 */
@NullMarked
package io.github.istiosecurity.internal.authz.engine;

import org.jspecify.annotations.NullMarked;
