package io.github.istiosecurity.authz;

/**
 * The extension point behind {@code action: CUSTOM}: what Istio's
 * {@code meshConfig.extensionProviders} entry (an ext_authz server) does in the mesh.
 * Declare one as a bean; CUSTOM policies whose {@code provider.name} equals
 * {@link #name()} consult it when one of their rules matches (§3.18). With no authorizer
 * of that name, matching requests are denied.
 */
public interface ExtensionAuthorizer {

	/**
	 * Returns the provider name that policies refer to.
	 * @return the name
	 */
	String name();

	/**
	 * Decides on a request. It runs before JWT authentication, so the request has no JWT
	 * attributes; an exception counts as an error and denies with 403 (Istio's default
	 * {@code statusOnError}).
	 * @param request the request
	 * @return the result
	 */
	ExtensionDecision check(RequestAttributes request);

}
