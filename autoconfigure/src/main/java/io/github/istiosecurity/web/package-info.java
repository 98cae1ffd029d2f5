/**
 * What the servlet and reactive adapters share: client address resolution, peer identities and Envoy-style
 * local replies.
 */
@NullMarked
package io.github.istiosecurity.web;

import org.jspecify.annotations.NullMarked;
