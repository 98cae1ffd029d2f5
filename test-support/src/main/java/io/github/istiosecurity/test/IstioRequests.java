package io.github.istiosecurity.test;

import io.github.istiosecurity.check.CheckRequest;

/**
 * Entry points of hypothetical requests for
 * {@link IstioPolicies#check(CheckRequest.Builder)}: the method and path, then the rest
 * fluently, e.g.
 * {@code get("/headers").principal("testing@secure.istio.io/user1").header("x-team", "a")}.
 * Unless set, a request has host {@code localhost}, port
 * {@value CheckRequest#DEFAULT_PORT}, source IP {@code 127.0.0.1}, no token and no peer
 * identity.
 */
public final class IstioRequests {

	private IstioRequests() {
	}

	/**
	 * Starts a {@code GET}.
	 * @param path the path as a client sends it, optionally with a query
	 * @return the request builder
	 */
	public static CheckRequest.Builder get(String path) {
		return request("GET", path);
	}

	/**
	 * Starts a {@code HEAD}.
	 * @param path the path as a client sends it, optionally with a query
	 * @return the request builder
	 */
	public static CheckRequest.Builder head(String path) {
		return request("HEAD", path);
	}

	/**
	 * Starts a {@code POST}.
	 * @param path the path as a client sends it, optionally with a query
	 * @return the request builder
	 */
	public static CheckRequest.Builder post(String path) {
		return request("POST", path);
	}

	/**
	 * Starts a {@code PUT}.
	 * @param path the path as a client sends it, optionally with a query
	 * @return the request builder
	 */
	public static CheckRequest.Builder put(String path) {
		return request("PUT", path);
	}

	/**
	 * Starts a {@code PATCH}.
	 * @param path the path as a client sends it, optionally with a query
	 * @return the request builder
	 */
	public static CheckRequest.Builder patch(String path) {
		return request("PATCH", path);
	}

	/**
	 * Starts a {@code DELETE}.
	 * @param path the path as a client sends it, optionally with a query
	 * @return the request builder
	 */
	public static CheckRequest.Builder delete(String path) {
		return request("DELETE", path);
	}

	/**
	 * Starts an {@code OPTIONS}.
	 * @param path the path as a client sends it, optionally with a query
	 * @return the request builder
	 */
	public static CheckRequest.Builder options(String path) {
		return request("OPTIONS", path);
	}

	/**
	 * Starts a request with any method.
	 * @param method the method, as sent (Istio's {@code methods} compare it
	 * case-sensitively)
	 * @param path the path as a client sends it, optionally with a query
	 * @return the request builder
	 */
	public static CheckRequest.Builder request(String method, String path) {
		return CheckRequest.builder().method(method).path(path);
	}

}
