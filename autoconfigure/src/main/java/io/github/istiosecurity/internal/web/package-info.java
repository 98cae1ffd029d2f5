/**
 * What the servlet and reactive adapters share: client address resolution, peer
 * identities, Envoy-style local replies and the authorization decision as Spring Security
 * sees it.
 */
@NullMarked
package io.github.istiosecurity.internal.web;

import org.jspecify.annotations.NullMarked;
