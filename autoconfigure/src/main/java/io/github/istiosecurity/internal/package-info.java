/**
 * The implementation, in the order a request meets it: {@code load} (YAML to the policy
 * model), {@code authz} ({@code compile} into immutable matchers, {@code match},
 * {@code engine} decides, {@code explain}), {@code jwt}, {@code runtime} (policies in
 * force, reload, lint), {@code web} (servlet and reactive adapters) and
 * {@code kubernetes}. Nothing here is API: it may change in any release. The API is in
 * {@code io.github.istiosecurity.authz}, {@code check}, {@code model},
 * {@code web.servlet}, {@code web.reactive} and {@code autoconfigure}.
 */
@NullMarked
package io.github.istiosecurity.internal;

import org.jspecify.annotations.NullMarked;
