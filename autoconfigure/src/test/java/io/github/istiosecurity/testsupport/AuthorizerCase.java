package io.github.istiosecurity.testsupport;

/**
 * What the test authorizers ({@link HttpAuthorizer}, {@link GrpcAuthorizer}) answer,
 * chosen by the request's {@value #HEADER} header: the same cases over both protocols.
 */
public final class AuthorizerCase {

	/** The request header that names the case. */
	public static final String HEADER = "x-case";

	/**
	 * Allow, with headers for the request ({@code x-authz-user: alice}) and the response.
	 */
	public static final String ALLOW = "allow";

	/**
	 * Deny with 401, a body and headers ({@code www-authenticate}, {@code x-deny-reason},
	 * {@code x-hidden}).
	 */
	public static final String DENY = "deny";

	/** HTTP: deny with a redirect (302, {@code location}). */
	public static final String REDIRECT = "redirect";

	/** Fail: a 500 answer (HTTP) or an INTERNAL status (gRPC). */
	public static final String ERROR = "error";

	/** Hang until released, or for ten seconds. */
	public static final String SLOW = "slow";

	/** The body of the denial. */
	public static final String DENIED_BODY = "denied by the authorizer";

	private AuthorizerCase() {
	}

}
