package io.github.istiosecurity.idp;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client (the JDK's) for the application under test and the identity
 * providers, with the JSON helpers the tests need.
 */
public final class Http {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private Http() {
	}

	/**
	 * Sends a request without a body.
	 * @param method the method
	 * @param uri the target
	 * @param headers header names and values, alternating
	 * @return the response
	 */
	public static HttpResponse<String> send(String method, String uri, String... headers) {
		return send(builder(uri, headers).method(method, HttpRequest.BodyPublishers.noBody()));
	}

	/**
	 * Sends a {@code GET} request.
	 * @param uri the target
	 * @param headers header names and values, alternating
	 * @return the response
	 */
	public static HttpResponse<String> get(String uri, String... headers) {
		return send("GET", uri, headers);
	}

	/**
	 * Posts an {@code application/x-www-form-urlencoded} form, as OAuth token endpoints
	 * expect.
	 * @param uri the target
	 * @param form the form fields
	 * @param headers header names and values, alternating
	 * @return the response
	 */
	public static HttpResponse<String> postForm(String uri, Map<String, String> form, String... headers) {
		String body = form.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		return send(builder(uri, headers).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Sends a JSON body.
	 * @param method the method
	 * @param uri the target
	 * @param json the body
	 * @param headers header names and values, alternating
	 * @return the response
	 */
	public static HttpResponse<String> sendJson(String method, String uri, Object json, String... headers) {
		return send(builder(uri, headers).header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json))));
	}

	/**
	 * Returns the header pair of a bearer token.
	 * @param token the token
	 * @return the header name and value
	 */
	public static String[] bearer(String token) {
		return new String[] { "Authorization", "Bearer " + token };
	}

	/**
	 * Parses a JSON document.
	 * @param json the document
	 * @return the tree
	 */
	public static JsonNode json(String json) {
		return JSON.readTree(json);
	}

	/**
	 * Decodes the payload of a JWT without verifying it, to look at what a provider put
	 * in it.
	 * @param token the token
	 * @return the claims
	 */
	public static JsonNode claims(String token) {
		return json(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
	}

	/**
	 * Decodes the header of a JWT.
	 * @param token the token
	 * @return the header
	 */
	public static JsonNode header(String token) {
		return json(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
	}

	private static HttpRequest.Builder builder(String uri, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return request;
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
