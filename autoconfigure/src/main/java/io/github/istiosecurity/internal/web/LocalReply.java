package io.github.istiosecurity.internal.web;

import java.util.Map;

import io.github.istiosecurity.authz.Decision;

/**
 * A response the policy layer sends instead of the application, shaped like Envoy's local
 * replies (§6.3): plain text, no trailing newline.
 *
 * @param status the status
 * @param body the body
 * @param headers extra headers (e.g. {@code WWW-Authenticate})
 */
public record LocalReply(int status, String body, Map<String, String> headers) {

	/**
	 * Envoy's answer to a request it cannot parse or a path it refuses to normalize (e.g.
	 * {@code %00}).
	 */
	public static final LocalReply BAD_REQUEST = new LocalReply(400, "Bad Request", Map.of());

	/**
	 * Envoy's answer to a request-target that is not an origin-form path, such as
	 * {@code *}.
	 */
	public static final LocalReply NOT_FOUND = new LocalReply(404, "Not Found", Map.of());

	/**
	 * Envoy's RBAC denial, {@code 403 RBAC: access denied}: written by the access-denied
	 * handlers, whose Spring Security signal carries no body, and equal to a denying
	 * {@link Decision}'s reply.
	 */
	public static final LocalReply RBAC_DENIED = new LocalReply(403, Decision.RBAC_DENIED_BODY, Map.of());

	public LocalReply {
		headers = Map.copyOf(headers);
	}

	/**
	 * The reply a denying decision asks for: its status, body and headers (an extension
	 * authorizer's, or {@link #RBAC_DENIED}'s).
	 * @param decision a decision that does not allow
	 * @return the reply
	 */
	public static LocalReply of(Decision decision) {
		if (decision.status() == 403 && decision.headers().isEmpty()
				&& Decision.RBAC_DENIED_BODY.equals(decision.body())) {
			return RBAC_DENIED;
		}
		return new LocalReply(decision.status(), decision.body(), decision.headers());
	}

	/**
	 * A refusal of the starter's own, where Envoy would pass the request on but the
	 * application would then serve another resource than the one decided: 400 with the
	 * reason in the body.
	 * @param reason why, one sentence without request data
	 * @return the reply
	 */
	public static LocalReply badRequest(String reason) {
		return new LocalReply(400, "Bad Request: " + reason, Map.of());
	}

	/**
	 * The reply to a rejected JWT (§2.8): the status string as body and a
	 * {@code WWW-Authenticate} challenge whose realm is the request URL (path and query
	 * truncated to 256 characters, §8 D14).
	 * @param status 401, or 403 for the audience failure
	 * @param body the status string
	 * @param scheme the request scheme
	 * @param host the {@code Host} header
	 * @param pathAndQuery the original path with query
	 * @return the reply
	 */
	public static LocalReply jwtRejected(int status, String body, String scheme, String host, String pathAndQuery) {
		String path = (pathAndQuery.length() > 256) ? pathAndQuery.substring(0, 256) : pathAndQuery;
		String realm = scheme + "://" + host + path;
		return new LocalReply(status, body, Map.of("WWW-Authenticate",
				"Bearer realm=\"" + realm.replace("\"", "%22") + "\", error=\"invalid_token\""));
	}

}
