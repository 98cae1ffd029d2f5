package io.github.istiosecurity.internal.web.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The firewall of the chain the starter owns. Spring Security's
 * {@code StrictHttpFirewall} refuses paths that Istio normalizes and forwards
 * ({@code //}, {@code ..}, encoded {@code /}, {@code \} ...) and every method outside a
 * fixed list; here the {@code InboundPipeline} decides both, as Envoy does: it normalizes
 * the path, hands the application the path it decided, refuses with 400 what the
 * application would route differently, and leaves methods to the policies. It also keeps
 * Spring's header checks (a control or unassigned character in a header name or value is
 * 400). What this firewall keeps is Spring's response checks (no CR or LF in response
 * headers and redirects).
 */
public final class IstioHttpFirewall implements HttpFirewall {

	private final StrictHttpFirewall responses = new StrictHttpFirewall();

	@Override
	public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
		return new FirewalledRequest(request) {

			@Override
			public void reset() {
			}

		};
	}

	@Override
	public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
		return this.responses.getFirewalledResponse(response);
	}

}
