package io.github.istiosecurity.sample.sleep;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a walk-through step expects of httpbin's answer beyond its status: the body Envoy
 * would send, a header that must be gone, a challenge that must be there.
 */
@FunctionalInterface
interface ResponseCheck {

	/**
	 * Checks an answer whose status was as expected.
	 * @param response the answer
	 * @return why it is not as expected, or {@code null} when it is
	 */
	@Nullable String mismatch(HttpbinResponse response);

	static ResponseCheck none() {
		return (response) -> null;
	}

	static ResponseCheck bodyIs(String expected) {
		return (response) -> expected.equals(response.body()) ? null
				: "body is not '" + expected + "' but '" + abbreviate(response.body()) + "'";
	}

	/**
	 * httpbin's JSON echo has no such request header: the starter removed it before the
	 * application.
	 */
	static ResponseCheck echoedHeaderAbsent(String header) {
		return (response) -> json(response).path("headers").has(header) ? header + " reached the application" : null;
	}

	/** httpbin's JSON echo still shows this query parameter. */
	static ResponseCheck echoedArgPresent(String name) {
		return (response) -> json(response).path("args").has(name) ? null : "args." + name + " is missing";
	}

	/**
	 * The 401 carries Envoy's challenge with {@code error="invalid_token"}, and the given
	 * body.
	 */
	static ResponseCheck invalidTokenChallenge(String body) {
		ResponseCheck bodyCheck = bodyIs(body);
		return (response) -> {
			String challenge = Objects.requireNonNullElse(response.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE),
					"");
			if (!challenge.startsWith("Bearer realm=") || !challenge.endsWith("error=\"invalid_token\"")) {
				return "WWW-Authenticate is '" + challenge + "'";
			}
			return bodyCheck.mismatch(response);
		};
	}

	private static JsonNode json(HttpbinResponse response) {
		try {
			return JsonMapper.shared().readTree(response.body());
		}
		catch (RuntimeException ex) {
			return JsonMapper.shared().missingNode();
		}
	}

	static String abbreviate(String text) {
		String line = text.replace('\n', ' ');
		return (line.length() <= 80) ? line : line.substring(0, 77) + "...";
	}

}
