package io.github.istiosecurity.sample.httpbin;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.RequestEntity;
import org.springframework.stereotype.Component;

/**
 * Builds httpbin's JSON fields from a {@link RequestEntity} (URL and body) and the
 * {@code @RequestHeader} {@link HttpHeaders}, types both Spring MVC and WebFlux hand to a
 * controller. Maps are sorted by key like httpbin's output, and top-level fields keep
 * httpbin's order.
 * <p>
 * Headers come from {@code @RequestHeader HttpHeaders}, not from
 * {@link RequestEntity#getHeaders()}: on the servlet stack the latter adds the request's
 * character encoding to {@code Content-Type}, which the client never sent.
 */
@Component
public class RequestEcho {

	private static final MediaType FORM = MediaType.APPLICATION_FORM_URLENCODED;

	private final JsonMapper jsonMapper;

	public RequestEcho(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/**
	 * The fields of httpbin's {@code /get}: {@code args}, {@code headers},
	 * {@code origin}, {@code url}.
	 */
	public Map<String, Object> withoutBody(RequestEntity<byte @Nullable []> request, HttpHeaders headers,
			@Nullable String origin) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("args", args(request.getUrl()));
		fields.put("headers", headers(headers));
		fields.put("origin", origin);
		fields.put("url", request.getUrl().toString());
		return fields;
	}

	/**
	 * The fields of httpbin's {@code /post}: {@code args}, {@code data}, {@code form},
	 * {@code headers}, {@code json}, {@code origin}, {@code url}. A form body goes to
	 * {@code form} (and {@code data} is empty), anything else to {@code data};
	 * {@code json} is the body parsed as JSON, or {@code null}.
	 */
	public Map<String, Object> withBody(RequestEntity<byte @Nullable []> request, HttpHeaders headers,
			@Nullable String origin) {
		byte[] body = (request.getBody() != null) ? request.getBody() : new byte[0];
		boolean form = FORM.isCompatibleWith(contentType(headers));
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("args", args(request.getUrl()));
		fields.put("data", form ? "" : data(body));
		fields.put("form", form ? parameters(new String(body, StandardCharsets.UTF_8)) : Map.of());
		fields.put("headers", headers(headers));
		fields.put("json", json(body));
		fields.put("origin", origin);
		fields.put("url", request.getUrl().toString());
		return fields;
	}

	/**
	 * Every header as the controller received it, names in httpbin's Title-Case, repeated
	 * values joined with {@code ,} (so nothing the policy layer left in place is hidden,
	 * and nothing it removed shows up).
	 */
	public Map<String, String> headers(HttpHeaders headers) {
		Map<String, String> result = new TreeMap<>();
		headers.forEach((name, values) -> result.merge(titleCase(name), String.join(",", values),
				(first, second) -> first + "," + second));
		return result;
	}

	private static @Nullable MediaType contentType(HttpHeaders headers) {
		try {
			return headers.getContentType();
		}
		catch (InvalidMediaTypeException ex) {
			// Echo what was sent; a broken Content-Type just means "not a form".
			return null;
		}
	}

	/**
	 * Query parameters, decoded; a parameter given once is a string, given several times
	 * a list (httpbin).
	 */
	Map<String, Object> args(URI url) {
		return parameters(url.getRawQuery());
	}

	private static Map<String, Object> parameters(@Nullable String encoded) {
		Map<String, List<String>> values = new TreeMap<>();
		if (encoded != null && !encoded.isEmpty()) {
			for (String pair : encoded.split("&")) {
				if (pair.isEmpty()) {
					continue;
				}
				int equals = pair.indexOf('=');
				String name = decode((equals < 0) ? pair : pair.substring(0, equals));
				String value = (equals < 0) ? "" : decode(pair.substring(equals + 1));
				values.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
			}
		}
		Map<String, Object> result = new TreeMap<>();
		values.forEach((name, list) -> result.put(name, (list.size() == 1) ? list.get(0) : list));
		return result;
	}

	private static String decode(String value) {
		try {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// A broken %-escape: show it as sent rather than fail the echo.
			return value;
		}
	}

	/**
	 * The body as text, or as a base64 data URL when it is not UTF-8 (httpbin does the
	 * same).
	 */
	private static String data(byte[] body) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(body);
		}
	}

	private @Nullable JsonNode json(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			return this.jsonMapper.readTree(body);
		}
		catch (JacksonException ex) {
			// httpbin reports a body that is not JSON as "json": null.
			return null;
		}
	}

	/**
	 * {@code x-forwarded-for} to {@code X-Forwarded-For}, as httpbin (Werkzeug) shows
	 * header names.
	 */
	static String titleCase(String name) {
		StringBuilder result = new StringBuilder(name.length());
		boolean upper = true;
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			result.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
			upper = (c == '-');
		}
		return result.toString();
	}

}
