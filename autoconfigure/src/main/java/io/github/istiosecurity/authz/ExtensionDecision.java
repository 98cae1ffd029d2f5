package io.github.istiosecurity.authz;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The answer of an {@link ExtensionAuthorizer}: allow, possibly changing the request the
 * application sees (as Envoy's ext_authz filter applies an authorizer's OK response), or
 * deny with the response to send (§3.18). An answer can also say that asking the
 * authorizer failed ({@link #error()}): denied with {@code statusOnError}, or allowed
 * when the provider fails open.
 *
 * @param allowed whether the request may go on to JWT authentication and DENY/ALLOW
 * @param status the status of the denial response
 * @param headers headers of the denial response
 * @param body the body of the denial response
 * @param upstreamHeaders headers set on the request before JWT authentication, DENY/ALLOW
 * and the application see it (replacing a header of the same name), when allowed
 * @param removedUpstreamHeaders names of headers removed from that request, when allowed
 * @param responseHeaders headers added to the application's response, when allowed
 * @param error why asking the authorizer failed (a timeout, a refused connection, a 5xx
 * answer), or {@code null} when it answered; never contains request data
 */
public record ExtensionDecision(boolean allowed, int status, Map<String, String> headers, String body,
		Map<String, String> upstreamHeaders, Set<String> removedUpstreamHeaders, Map<String, String> responseHeaders,
		@Nullable String error) {

	private static final ExtensionDecision ALLOW = new ExtensionDecision(true, 200, Map.of(), "");

	public ExtensionDecision {
		headers = Map.copyOf(headers);
		upstreamHeaders = Map.copyOf(upstreamHeaders);
		removedUpstreamHeaders = Set.copyOf(removedUpstreamHeaders);
		responseHeaders = Map.copyOf(responseHeaders);
	}

	/**
	 * Creates an answer that changes nothing on an allowed request.
	 * @param allowed whether the request may go on
	 * @param status the status of the denial response
	 * @param headers headers of the denial response
	 * @param body the body of the denial response
	 */
	public ExtensionDecision(boolean allowed, int status, Map<String, String> headers, String body) {
		this(allowed, status, headers, body, Map.of(), Set.of(), Map.of(), null);
	}

	/**
	 * Allows the request.
	 * @return the decision
	 */
	public static ExtensionDecision allow() {
		return ALLOW;
	}

	/**
	 * Allows the request and sets headers on it, as an authorizer's
	 * {@code headersToUpstreamOnAllow} do: JWT authentication, DENY/ALLOW policies and
	 * the application see them.
	 * @param upstreamHeaders the headers to set
	 * @return the decision
	 */
	public static ExtensionDecision allow(Map<String, String> upstreamHeaders) {
		return new ExtensionDecision(true, 200, Map.of(), "", upstreamHeaders, Set.of(), Map.of(), null);
	}

	/**
	 * Allows the request, changing it and the response.
	 * @param upstreamHeaders headers to set on the request
	 * @param removedUpstreamHeaders names of headers to remove from the request
	 * @param responseHeaders headers to add to the application's response
	 * @return the decision
	 */
	public static ExtensionDecision allow(Map<String, String> upstreamHeaders, Set<String> removedUpstreamHeaders,
			Map<String, String> responseHeaders) {
		return new ExtensionDecision(true, 200, Map.of(), "", upstreamHeaders, removedUpstreamHeaders, responseHeaders,
				null);
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

	/**
	 * Denies with the given response.
	 * @param status the status
	 * @param body the body
	 * @param headers the headers of the response
	 * @return the decision
	 */
	public static ExtensionDecision deny(int status, String body, Map<String, String> headers) {
		return new ExtensionDecision(false, status, headers, body);
	}

	/**
	 * Says that the authorizer could not be asked, as Envoy's ext_authz filter treats a
	 * failed call: the request is denied with {@code statusOnError} and an empty body, or
	 * allowed when the provider fails open.
	 * @param failOpen whether the provider lets the request through on failure
	 * @param statusOnError the status of the denial
	 * @param error why the call failed, without request data
	 * @return the decision
	 */
	public static ExtensionDecision failed(boolean failOpen, int statusOnError, String error) {
		return new ExtensionDecision(failOpen, failOpen ? 200 : statusOnError, Map.of(), "", Map.of(), Set.of(),
				Map.of(), error);
	}

	/**
	 * Whether an allowed request or its response changes.
	 * @return whether there are headers to set, remove or add
	 */
	public boolean changesExchange() {
		return !this.upstreamHeaders.isEmpty() || !this.removedUpstreamHeaders.isEmpty()
				|| !this.responseHeaders.isEmpty();
	}

}
