package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.InboundPipeline;

/**
 * Creates {@link IstioEnforcementFilter}s for filter chains. The filter is deliberately
 * not a bean, so the servlet container does not register it a second time outside Spring
 * Security.
 *
 * @param pipeline the inbound pipeline
 */
public record IstioEnforcementFilterFactory(InboundPipeline pipeline) {

	/**
	 * Creates a filter.
	 * @return the filter
	 */
	public IstioEnforcementFilter create() {
		return new IstioEnforcementFilter(this.pipeline);
	}

}
