package io.github.istiosecurity.authz;

import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.PolicyOrigin;

/**
 * Names an AuthorizationPolicy in a decision.
 *
 * @param namespace the policy's namespace
 * @param name the policy's name
 * @param action its action
 * @param dryRun whether it is a dry-run (shadow) policy
 * @param origin where it was read from
 */
public record PolicyRef(String namespace, String name, Action action, boolean dryRun, PolicyOrigin origin) {

	/**
	 * Returns {@code namespace/name}.
	 * @return the qualified name
	 */
	public String qualifiedName() {
		return this.namespace + "/" + this.name;
	}

	@Override
	public String toString() {
		return qualifiedName();
	}

}
