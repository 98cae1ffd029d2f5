/**
 * Istio's extension providers for {@code action: CUSTOM} (§3.18): the
 * {@code envoyExtAuthzHttp} and {@code envoyExtAuthzGrpc} entries of the mesh
 * configuration as {@code ExtensionAuthorizer}s that speak Envoy's ext_authz protocols to
 * an external authorizer (OPA, oauth2-proxy, ...) exactly as a sidecar would.
 */
@NullMarked
package io.github.istiosecurity.internal.extauthz;

import org.jspecify.annotations.NullMarked;
