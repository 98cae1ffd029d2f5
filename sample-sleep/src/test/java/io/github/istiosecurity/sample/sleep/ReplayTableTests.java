package io.github.istiosecurity.sample.sleep;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay rows judge httpbin's answers, and the table shows them one per line.
 */
class ReplayTableTests {

	private static final WalkThroughStep FIRST = WalkThrough.STEPS.get(0);

	private static final WalkThroughStep EXPIRED = WalkThrough.STEPS.get(6);

	@Test
	void aStepIsAsExpectedOnlyWhenStatusAndCheckHold() {
		assertThat(ReplayedStep.of(FIRST, json(200, "{\"headers\":{\"Accept\":\"*/*\"}}")).asExpected()).isTrue();
		ReplayedStep leaked = ReplayedStep.of(FIRST, json(200, "{\"headers\":{\"Authorization\":\"Bearer x\"}}"));
		assertThat(leaked.asExpected()).isFalse();
		assertThat(leaked.mismatch()).isEqualTo("Authorization reached the application");
		ReplayedStep wrongStatus = ReplayedStep.of(FIRST, json(403, "RBAC: access denied"));
		assertThat(wrongStatus.mismatch()).isEqualTo("status 403, expected 200");
		assertThat(wrongStatus.actualBody()).isEqualTo("RBAC: access denied");
	}

	@Test
	void a401MustCarryEnvoysChallengeAndBody() {
		HttpHeaders challenge = new HttpHeaders();
		challenge.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"http://h/headers\", error=\"invalid_token\"");
		assertThat(ReplayedStep.of(EXPIRED, new HttpbinResponse(401, challenge, "Jwt is expired")).asExpected())
			.isTrue();
		assertThat(ReplayedStep.of(EXPIRED, new HttpbinResponse(401, new HttpHeaders(), "Jwt is expired")).mismatch())
			.isEqualTo("WWW-Authenticate is ''");
		assertThat(ReplayedStep.of(EXPIRED, new HttpbinResponse(401, challenge, "Unauthorized")).mismatch())
			.isEqualTo("body is not 'Jwt is expired' but 'Unauthorized'");
	}

	@Test
	void theTableHasOneLinePerStepAndATally() {
		Replay replay = Replay.of("http://127.0.0.1:8000",
				List.of(ReplayedStep.of(FIRST, json(200, "{\"headers\":{}}")),
						ReplayedStep.unreachable(EXPIRED, new java.net.ConnectException("refused"))));
		String table = ReplayTable.format(replay);
		assertThat(table.lines()).containsExactly("Walk-through replayed against httpbin at http://127.0.0.1:8000",
				"#  request       token        expected                   actual  result",
				"1  GET /headers  user1.jwt    200 Authorization removed  200     ok",
				"7  GET /headers  expired.jwt  401 Jwt is expired         -       MISMATCH: httpbin unreachable (ConnectException)",
				"1 of 2 steps as Istio answers");
		assertThat(replay.allAsExpected()).isFalse();
	}

	private static HttpbinResponse json(int status, String body) {
		return new HttpbinResponse(status, new HttpHeaders(), body);
	}

}
