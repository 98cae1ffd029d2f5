package io.github.istiosecurity.authz;

import java.util.Map;

/**
 * The answer of an {@link ExtensionAuthorizer}: allow, or deny with the response to send.
 *
 * @param allowed whether the request may go on to JWT authentication and DENY/ALLOW
 * @param status the status of the denial response
 * @param headers headers of the denial response
 * @param body the body of the denial response
 */
public record ExtensionDecision(boolean allowed, int status, Map<String, String> headers, String body) {

	private static final ExtensionDecision ALLOW = new ExtensionDecision(true, 200, Map.of(), "");

	public ExtensionDecision {
		headers = Map.copyOf(headers);
	}

	/**
	 * Allows the request.
	 * @return the decision
	 */
	public static ExtensionDecision allow() {
		return ALLOW;
	}

	/**
	 * Denies with the given response.
	 * @param status the status
	 * @param body the body
	 * @return the decision
	 */
	public static ExtensionDecision deny(int status, String body) {
		return new ExtensionDecision(false, status, Map.of(), body);
	}

}
