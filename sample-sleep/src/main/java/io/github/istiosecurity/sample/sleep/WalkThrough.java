package io.github.istiosecurity.sample.sleep;

import java.util.List;

import io.github.istiosecurity.sample.sleep.WalkThroughStep.TokenPlacement;
import org.jspecify.annotations.Nullable;

import static io.github.istiosecurity.sample.sleep.ResponseCheck.bodyIs;
import static io.github.istiosecurity.sample.sleep.ResponseCheck.echoedArgPresent;
import static io.github.istiosecurity.sample.sleep.ResponseCheck.echoedHeaderAbsent;
import static io.github.istiosecurity.sample.sleep.ResponseCheck.invalidTokenChallenge;
import static io.github.istiosecurity.sample.sleep.ResponseCheck.none;

/**
 * The 13 steps of the httpbin walk-through ({@code sample-httpbin/demo/README.md}, after
 * Istio's "JWT Token" task) with the statuses and bodies Istio's sidecar gives. A test
 * holds this list to that README's table.
 */
final class WalkThrough {

	static final String RBAC_DENIED = "RBAC: access denied";

	static final List<WalkThroughStep> STEPS = List.of(
			step(1, "GET", "/headers", "user1.jwt", 200, "Authorization removed", echoedHeaderAbsent("Authorization")),
			step(2, "POST", "/post", "user1.jwt", 403, RBAC_DENIED, bodyIs(RBAC_DENIED)),
			step(3, "GET", "/status/200", "user2.jwt", 200, "empty body", bodyIs("")),
			step(4, "DELETE", "/status/418", "user2.jwt", 418, "httpbin's status", none()),
			step(5, "GET", "/headers", "user2.jwt", 403, RBAC_DENIED, bodyIs(RBAC_DENIED)),
			step(6, "GET", "/headers", null, 403, RBAC_DENIED, bodyIs(RBAC_DENIED)),
			step(7, "GET", "/headers", "expired.jwt", 401, "Jwt is expired", invalidTokenChallenge("Jwt is expired")),
			step(8, "GET", "/headers", "deadbeef", 401, "Jwt is not in the form of Header.Payload.Signature",
					invalidTokenChallenge(
							"Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections")),
			step(9, "GET", "/headers", "other-issuer.jwt", 401, "Jwt issuer is not configured",
					invalidTokenChallenge("Jwt issuer is not configured")),
			step(10, "GET", "/headers", "tampered.jwt", 401, "Jwt verification fails",
					invalidTokenChallenge("Jwt verification fails")),
			step(11, "GET", "/get", "user3-groups.jwt", 403, RBAC_DENIED, bodyIs(RBAC_DENIED)),
			new WalkThroughStep(12, "GET", "/get", "user1.jwt", TokenPlacement.ACCESS_TOKEN_PARAMETER, 200,
					"args.access_token kept", echoedArgPresent("access_token")),
			new WalkThroughStep(13, "GET", "/headers", "user1.jwt", TokenPlacement.LOWER_CASE_BEARER, 403,
					RBAC_DENIED + " (no token)", bodyIs(RBAC_DENIED)));

	private WalkThrough() {
	}

	private static WalkThroughStep step(int number, String method, String path, @Nullable String token, int status,
			String expectation, ResponseCheck check) {
		return new WalkThroughStep(number, method, path, token, TokenPlacement.BEARER, status, expectation, check);
	}

}
