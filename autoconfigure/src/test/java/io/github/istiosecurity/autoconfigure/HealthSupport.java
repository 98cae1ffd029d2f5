package io.github.istiosecurity.autoconfigure;

import java.net.http.HttpResponse;

import io.github.istiosecurity.testsupport.Http;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code /actuator/health} over HTTP.
 */
final class HealthSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private HealthSupport() {
	}

	/**
	 * The health response.
	 *
	 * @param status the HTTP status
	 * @param body the whole document
	 */
	record Reply(int status, JsonNode body) {

		String overall() {
			return this.body.path("status").asString();
		}

		JsonNode istio() {
			return this.body.path("components").path("istio");
		}

		JsonNode keySet(String issuer) {
			return istio().path("details").path("jwks").path(issuer);
		}

		JsonNode policies() {
			return istio().path("details").path("policies");
		}

	}

	static Reply health(int port) {
		HttpResponse<String> response = new Http(port).get("/actuator/health");
		return new Reply(response.statusCode(), JSON.readTree(response.body()));
	}

}
