/**
 * The servlet adapter: a Spring Security filter and authorization manager over the
 * engine, and the request attributes they read from a servlet request.
 */
@NullMarked
package io.github.istiosecurity.internal.web.servlet;

import org.jspecify.annotations.NullMarked;
