package io.github.istiosecurity.sample.sleep;

import org.jspecify.annotations.Nullable;

/**
 * One request of the httpbin walk-through ({@code sample-httpbin/demo/README.md}) and
 * what Istio answers.
 *
 * @param number the step's number in the walk-through
 * @param method the HTTP method
 * @param path the path, with its query if any
 * @param token the demo token file ({@code user1.jwt}) or literal token, {@code null} for
 * none
 * @param placement where the request carries the token
 * @param expectedStatus the status Istio answers
 * @param expectation what else is expected, in words (shown in the table)
 * @param check the check of that expectation
 */
record WalkThroughStep(int number, String method, String path, @Nullable String token, TokenPlacement placement,
		int expectedStatus, String expectation, ResponseCheck check) {

	/** Where a step puts its token. */
	enum TokenPlacement {

		/** {@code Authorization: Bearer <token>}, the default location. */
		BEARER,

		/**
		 * {@code Authorization: bearer <token>}: not the {@code Bearer } prefix, so no
		 * token at all.
		 */
		LOWER_CASE_BEARER,

		/** {@code ?access_token=<token>}, the default query parameter. */
		ACCESS_TOKEN_PARAMETER

	}

	/** The request in the table's words, without the token itself. */
	String request() {
		return switch (this.placement) {
			case BEARER -> this.method + " " + this.path;
			case LOWER_CASE_BEARER -> this.method + " " + this.path + " (\"bearer\" lower case)";
			case ACCESS_TOKEN_PARAMETER -> this.method + " " + this.path + "?access_token=<token>";
		};
	}

	/** The token column: the demo file's name, or "-". */
	String tokenName() {
		return (this.token != null) ? this.token : "-";
	}

}
