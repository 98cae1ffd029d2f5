package io.github.istiosecurity.internal.jwt;

import org.springframework.security.oauth2.jwt.BadJwtException;

/**
 * A token refused by an Istio JWT rule, carrying Istio's status string (the response
 * body, §2.6) and HTTP status (401, or 403 for the audience check). The message is the
 * status string only: never the token.
 */
public class IstioJwtException extends BadJwtException {

	private final String status;

	private final int httpStatus;

	IstioJwtException(JwtFailure failure) {
		super(failure.status());
		this.status = failure.status();
		this.httpStatus = failure.httpStatus();
	}

	/**
	 * Returns Istio's status string, e.g. {@code Jwt is expired}.
	 * @return the status string
	 */
	public String status() {
		return this.status;
	}

	/**
	 * Returns the HTTP status Envoy answers with.
	 * @return 401, or 403 for "Audiences in Jwt are not allowed"
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	@Override
	public synchronized Throwable fillInStackTrace() {
		// An expected outcome of a bad token, not a fault: no stack trace to fill.
		return this;
	}

}
