package io.github.istiosecurity.web.servlet;

import io.github.istiosecurity.authz.engine.PathNormalizer;
import io.github.istiosecurity.runtime.PolicyRuntime;
import io.github.istiosecurity.web.RemoteAddresses;

/**
 * Creates {@link IstioEnforcementFilter}s for filter chains. The filter is deliberately not a bean, so the
 * servlet container does not register it a second time outside Spring Security.
 *
 * @param runtime the policies in force
 * @param normalizer the path normalization
 * @param remoteAddresses how {@code remote.ip} is derived
 */
public record IstioEnforcementFilterFactory(PolicyRuntime runtime, PathNormalizer normalizer,
		RemoteAddresses remoteAddresses) {

	/**
	 * Creates a filter.
	 * @return the filter
	 */
	public IstioEnforcementFilter create() {
		return new IstioEnforcementFilter(this.runtime, this.normalizer, this.remoteAddresses);
	}

}
