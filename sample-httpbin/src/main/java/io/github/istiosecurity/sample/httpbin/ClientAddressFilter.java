package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Puts the client address into the request attribute {@value #ATTRIBUTE}, which the
 * controllers read with {@code @RequestAttribute}.
 * <p>
 * This is the only servlet-specific code of the sample;
 * {@link ReactiveClientAddressFilter} is its WebFlux twin, and the controllers stay as
 * they are.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ClientAddressFilter implements Filter {

	/**
	 * The request (or exchange) attribute that holds the client address, httpbin's
	 * {@code origin}.
	 */
	public static final String ATTRIBUTE = "httpbin.origin";

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		// The socket peer, as httpbin without a proxy; Tomcat only rewrites it if forward
		// headers are enabled.
		request.setAttribute(ATTRIBUTE, request.getRemoteAddr());
		chain.doFilter(request, response);
	}

}
