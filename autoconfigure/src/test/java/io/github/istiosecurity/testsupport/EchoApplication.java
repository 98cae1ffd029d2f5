package io.github.istiosecurity.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.servlet.HandlerMapping;

/**
 * A minimal application for integration tests, servlet or WebFlux: it echoes the headers
 * it receives after the policy layer, the method and path its handlers receive, and shows
 * the authenticated token.
 */
@SpringBootConfiguration
// Jetty is on the test classpath for the path boundary table, which declares its factory
// itself; without these
// exclusions Jetty's auto-configurations (unordered, alphabetically first) would replace
// Tomcat and Netty everywhere
@EnableAutoConfiguration(
		excludeName = { "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration",
				"org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration" })
@RestController
public class EchoApplication {

	@RequestMapping({ "/headers", "/public/headers" })
	Map<String, Object> headers(@RequestHeader HttpHeaders headers) {
		Map<String, Object> seen = new LinkedHashMap<>();
		headers.forEach((name, values) -> seen.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
		return Map.of("headers", seen);
	}

	/**
	 * The body as the application reads it (after a CUSTOM check that read its start).
	 */
	@org.springframework.web.bind.annotation.PostMapping("/admin/body")
	String body(@org.springframework.web.bind.annotation.RequestBody String body) {
		return body;
	}

	@RequestMapping("/status/{code}")
	ResponseEntity<Void> status(@PathVariable int code) {
		return ResponseEntity.status(code).build();
	}

	@RequestMapping("/whoami")
	Map<String, Object> whoami(@AuthenticationPrincipal Jwt jwt, java.security.Principal principal) {
		return Map.of("subject", jwt.getSubject(), "issuer", String.valueOf(jwt.getIssuer()), "scopes",
				List.copyOf(jwt.getClaimAsStringList("scope") != null ? jwt.getClaimAsStringList("scope") : List.of()),
				"principal", principal.getName());
	}

	/**
	 * What the handler of a servlet application received: the method, the path as the
	 * request object gives it ({@code path} is {@code getRequestURI()}, the path the
	 * policy decision must have been made on) and the mapping that matched.
	 * @param request the request as the handler sees it
	 * @return the echo
	 */
	static Map<String, @Nullable Object> echo(HttpServletRequest request) {
		Map<String, @Nullable Object> seen = new LinkedHashMap<>();
		seen.put("method", request.getMethod());
		seen.put("path", request.getRequestURI());
		seen.put("requestUri", request.getRequestURI());
		seen.put("servletPath", request.getServletPath());
		seen.put("pathInfo", request.getPathInfo());
		seen.put("pattern", String.valueOf(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)));
		return seen;
	}

	/**
	 * What the handler of a WebFlux application received: the method, the path as the
	 * request object gives it ({@code path} is {@code getPath().value()}, the path the
	 * policy decision must have been made on) and the mapping that matched.
	 * @param exchange the exchange as the handler sees it
	 * @return the echo
	 */
	static Map<String, @Nullable Object> echo(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		Map<String, @Nullable Object> seen = new LinkedHashMap<>();
		seen.put("method", request.getMethod().name());
		seen.put("path", request.getPath().value());
		seen.put("rawPath", request.getURI().getRawPath());
		seen.put("pathWithinApplication", request.getPath().pathWithinApplication().value());
		seen.put("pattern", String.valueOf(exchange.getAttributes()
			.get(org.springframework.web.reactive.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)));
		// which thread the filter chain ended on: the event loop, unless a filter moved
		// the request off it
		seen.put("thread", Thread.currentThread().getName());
		return seen;
	}

	/**
	 * Echoes method and path on a servlet stack. Takes the body as an entity, as most
	 * endpoints do: the framework then asks for the (absent) Content-Type through the
	 * firewall.
	 */
	@RestController
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class ServletPathEcho {

		@RequestMapping({ "/anything", "/anything/**", "/public", "/public/**", "/admin", "/admin/**" })
		Map<String, @Nullable Object> anything(HttpEntity<byte[]> entity, HttpServletRequest request) {
			return echo(request);
		}

		/** A form body as the request's parameters. */
		@org.springframework.web.bind.annotation.PostMapping("/admin/form")
		Map<String, String> form(HttpServletRequest request) {
			Map<String, String> form = new LinkedHashMap<>();
			request.getParameterMap().forEach((name, values) -> form.put(name, String.join(",", values)));
			return form;
		}

	}

	/**
	 * Echoes method and path on a WebFlux stack, like {@link ServletPathEcho}.
	 */
	@RestController
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class ReactivePathEcho {

		@RequestMapping({ "/anything", "/anything/**", "/public", "/public/**", "/admin", "/admin/**" })
		Map<String, @Nullable Object> anything(HttpEntity<byte[]> entity, ServerWebExchange exchange) {
			return echo(exchange);
		}

		/** A form body as WebFlux reads it. */
		@org.springframework.web.bind.annotation.PostMapping("/admin/form")
		reactor.core.publisher.Mono<Map<String, String>> form(ServerWebExchange exchange) {
			return exchange.getFormData().map((form) -> form.toSingleValueMap());
		}

	}

	/**
	 * With {@code echo.catch-all=true}, every other path is echoed too (servlet), so a
	 * test sees where any request landed instead of a 404.
	 */
	@RestController
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnBooleanProperty("echo.catch-all")
	static class ServletCatchAllEcho {

		@RequestMapping("/**")
		Map<String, @Nullable Object> any(HttpServletRequest request) {
			return echo(request);
		}

	}

	/**
	 * With {@code echo.catch-all=true}, every other path is echoed too (WebFlux).
	 */
	@RestController
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnBooleanProperty("echo.catch-all")
	static class ReactiveCatchAllEcho {

		@RequestMapping("/**")
		Map<String, @Nullable Object> any(ServerWebExchange exchange) {
			return echo(exchange);
		}

	}

}
