package io.github.istiosecurity.sample.httpbin;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.springframework.web.bind.annotation.RequestMethod.DELETE;
import static org.springframework.web.bind.annotation.RequestMethod.GET;
import static org.springframework.web.bind.annotation.RequestMethod.HEAD;
import static org.springframework.web.bind.annotation.RequestMethod.OPTIONS;
import static org.springframework.web.bind.annotation.RequestMethod.PATCH;
import static org.springframework.web.bind.annotation.RequestMethod.POST;
import static org.springframework.web.bind.annotation.RequestMethod.PUT;

/**
 * httpbin's endpoints that the walk-through and the black-box tests use, answering with
 * httpbin's JSON.
 * <p>
 * There is no security here on purpose: whatever reaches a method was let through by the
 * policy layer, and {@code /headers} shows the request as that layer handed it over. Only
 * types that Spring MVC and WebFlux both resolve are used; the client address comes from
 * the request attribute {@link ClientAddressFilter#ATTRIBUTE}.
 */
@RestController
public class HttpbinController {

	private final RequestEcho echo;

	public HttpbinController(RequestEcho echo) {
		this.echo = echo;
	}

	@GetMapping("/get")
	public Map<String, Object> get(RequestEntity<byte @Nullable []> request, @RequestHeader HttpHeaders headers,
			@RequestAttribute(name = ClientAddressFilter.ATTRIBUTE, required = false) @Nullable String origin) {
		return this.echo.withoutBody(request, headers, origin);
	}

	@PostMapping("/post")
	public Map<String, Object> post(RequestEntity<byte @Nullable []> request, @RequestHeader HttpHeaders headers,
			@RequestAttribute(name = ClientAddressFilter.ATTRIBUTE, required = false) @Nullable String origin) {
		return this.echo.withBody(request, headers, origin);
	}

	@PutMapping("/put")
	public Map<String, Object> put(RequestEntity<byte @Nullable []> request, @RequestHeader HttpHeaders headers,
			@RequestAttribute(name = ClientAddressFilter.ATTRIBUTE, required = false) @Nullable String origin) {
		return this.echo.withBody(request, headers, origin);
	}

	@PatchMapping("/patch")
	public Map<String, Object> patch(RequestEntity<byte @Nullable []> request, @RequestHeader HttpHeaders headers,
			@RequestAttribute(name = ClientAddressFilter.ATTRIBUTE, required = false) @Nullable String origin) {
		return this.echo.withBody(request, headers, origin);
	}

	@DeleteMapping("/delete")
	public Map<String, Object> delete(RequestEntity<byte @Nullable []> request, @RequestHeader HttpHeaders headers,
			@RequestAttribute(name = ClientAddressFilter.ATTRIBUTE, required = false) @Nullable String origin) {
		return this.echo.withBody(request, headers, origin);
	}

	@GetMapping("/headers")
	public Map<String, Object> headers(@RequestHeader HttpHeaders headers) {
		return Map.of("headers", this.echo.headers(headers));
	}

	@GetMapping("/ip")
	public Map<String, Object> ip(
			@RequestAttribute(name = ClientAddressFilter.ATTRIBUTE, required = false) @Nullable String origin) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("origin", origin);
		return fields;
	}

	// "Any method" is spelled out for /status and /anything: a mapping without methods
	// leaves OPTIONS to
	// Spring MVC's built-in answer, and the echo (and policies on OPTIONS) would never
	// see it.

	/**
	 * Answers with the given status and no body, whatever the method. Unlike httpbin,
	 * only one code (no {@code 200,201} lists) and only 200 to 599: a 1xx status cannot
	 * end an HTTP/1.1 exchange.
	 */
	@RequestMapping(path = "/status/{code}", method = { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS })
	public ResponseEntity<String> status(@PathVariable String code) {
		int status = parseStatus(code);
		if (status < 0) {
			return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body("Invalid status code");
		}
		return ResponseEntity.status(status).build();
	}

	@RequestMapping(path = { "/anything", "/anything/**" }, method = { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS })
	public Map<String, Object> anything(RequestEntity<byte @Nullable []> request, @RequestHeader HttpHeaders headers,
			@RequestAttribute(name = ClientAddressFilter.ATTRIBUTE, required = false) @Nullable String origin) {
		Map<String, Object> fields = this.echo.withBody(request, headers, origin);
		// httpbin's field order is alphabetical: method comes between json and origin.
		Map<String, Object> ordered = new LinkedHashMap<>();
		fields.forEach((name, value) -> {
			if (name.equals("origin")) {
				ordered.put("method", request.getMethod().name());
			}
			ordered.put(name, value);
		});
		return ordered;
	}

	/**
	 * The status as a number from 200 to 599, or -1; no exceptions for what a client may
	 * well send.
	 */
	private static int parseStatus(String code) {
		if (code.length() != 3) {
			return -1;
		}
		int status = 0;
		for (int i = 0; i < 3; i++) {
			char c = code.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			status = status * 10 + (c - '0');
		}
		return (status >= HttpStatus.OK.value() && status <= 599) ? status : -1;
	}

}
