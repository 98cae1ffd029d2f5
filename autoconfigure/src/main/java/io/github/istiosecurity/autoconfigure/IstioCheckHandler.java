package io.github.istiosecurity.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.github.istiosecurity.check.CheckRequest;
import io.github.istiosecurity.check.PolicyCheck;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;

/**
 * {@code POST /actuator/istio/check}: reads the JSON contract {@code {"method", "path",
 * "host", "port", "headers": {name: value}, "sourceIp", "remoteIp", "token" | "principal"
 * + "claims", "peerPrincipal"}}, every field optional, and answers the
 * {@link io.github.istiosecurity.check.CheckResult} (200), or 400 with an {@code error}
 * for a body that cannot be checked. An unknown field is an error rather than ignored: a
 * misspelt {@code "principle"} must not silently check an anonymous request. Nothing of
 * the body is logged.
 */
final class IstioCheckHandler {

	private static final Set<String> FIELDS = Set.of("method", "path", "host", "port", "headers", "sourceIp",
			"remoteIp", "token", "principal", "claims", "peerPrincipal");

	private final PolicyCheck check;

	private final Environment environment;

	IstioCheckHandler(PolicyCheck check, Environment environment) {
		this.check = check;
		this.environment = environment;
	}

	/**
	 * Checks the request a JSON body describes.
	 * @param body the parsed body, {@code null} when empty
	 * @return the reply
	 */
	Reply handle(@Nullable Map<?, ?> body) {
		try {
			return new Reply(200, this.check.check(request((body != null) ? body : Map.of())));
		}
		catch (IllegalArgumentException ex) {
			Map<String, String> error = new LinkedHashMap<>();
			error.put("error", String.valueOf(ex.getMessage()));
			return new Reply(400, error);
		}
	}

	private CheckRequest request(Map<?, ?> body) {
		for (Object field : body.keySet()) {
			if (!FIELDS.contains(field)) {
				throw new IllegalArgumentException("unknown field '" + field + "'; the fields are " + FIELDS);
			}
		}
		CheckRequest.Builder request = CheckRequest.builder();
		Object port = body.get("port");
		if (port == null) {
			request.port(localPort(this.environment));
		}
		else if (port instanceof Integer number && number >= 0 && number <= 65535) {
			request.port(number);
		}
		else {
			throw new IllegalArgumentException("port must be a number from 0 to 65535");
		}
		String value;
		if ((value = string(body, "method")) != null) {
			request.method(value);
		}
		if ((value = string(body, "path")) != null) {
			request.path(value);
		}
		if ((value = string(body, "host")) != null) {
			request.host(value);
		}
		if ((value = string(body, "sourceIp")) != null) {
			request.sourceIp(value);
		}
		if ((value = string(body, "remoteIp")) != null) {
			request.remoteIp(value);
		}
		if ((value = string(body, "token")) != null) {
			request.token(value);
		}
		if ((value = string(body, "principal")) != null) {
			request.principal(value);
		}
		if ((value = string(body, "peerPrincipal")) != null) {
			request.peerPrincipal(value);
		}
		Map<?, ?> headers = object(body, "headers");
		if (headers != null) {
			headers.forEach((name, header) -> {
				if (!(header instanceof String text)) {
					throw new IllegalArgumentException("headers." + name + " must be a string");
				}
				request.header(String.valueOf(name), text);
			});
		}
		Map<?, ?> claims = object(body, "claims");
		if (claims != null) {
			Map<String, Object> typed = new LinkedHashMap<>();
			claims.forEach((name, claim) -> {
				if (claim != null) {
					typed.put(String.valueOf(name), claim);
				}
			});
			request.claims(typed);
		}
		return request.build();
	}

	private static @Nullable String string(Map<?, ?> body, String field) {
		Object value = body.get(field);
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw new IllegalArgumentException(field + " must be a string");
	}

	private static @Nullable Map<?, ?> object(Map<?, ?> body, String field) {
		Object value = body.get(field);
		if (value == null || value instanceof Map) {
			return (Map<?, ?>) value;
		}
		throw new IllegalArgumentException(field + " must be an object");
	}

	/**
	 * The port a check assumes when none is given: this server's.
	 * @param environment the environment
	 * @return the port
	 */
	static int localPort(Environment environment) {
		return environment.getProperty("local.server.port", Integer.class, CheckRequest.DEFAULT_PORT);
	}

	/**
	 * A reply: the HTTP status and the JSON body.
	 *
	 * @param status the status
	 * @param body the body
	 */
	record Reply(int status, Object body) {
	}

}
