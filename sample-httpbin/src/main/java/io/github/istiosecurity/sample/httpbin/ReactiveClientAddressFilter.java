package io.github.istiosecurity.sample.httpbin;

import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The WebFlux twin of {@link ClientAddressFilter}: puts the socket peer's address into
 * the exchange attribute {@value ClientAddressFilter#ATTRIBUTE}, which
 * {@code @RequestAttribute} reads on both stacks.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ReactiveClientAddressFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		if (remote != null && remote.getAddress() != null) {
			exchange.getAttributes().put(ClientAddressFilter.ATTRIBUTE, remote.getAddress().getHostAddress());
		}
		return chain.filter(exchange);
	}

}
