package io.github.istiosecurity.sample.sleep;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replayed steps are the walk-through of {@code sample-httpbin/demo/README.md}: same
 * steps, methods, paths, token placement and expected statuses, so the replay and the
 * documentation cannot drift apart.
 */
class WalkThroughTests {

	@Test
	void everyStepOfTheReadmeIsReplayedWithItsExpectedStatus() {
		List<DemoWalkThrough.Row> readme = DemoWalkThrough.rows();
		assertThat(readme).hasSize(13);
		assertThat(WalkThrough.STEPS).hasSameSizeAs(readme);
		for (int i = 0; i < readme.size(); i++) {
			DemoWalkThrough.Row row = readme.get(i);
			WalkThroughStep step = WalkThrough.STEPS.get(i);
			assertThat(step.number()).isEqualTo(row.step());
			assertThat(step.method()).as("step %s", row.step()).isEqualTo(row.method());
			assertThat(step.path()).as("step %s", row.step()).isEqualTo(row.path());
			assertThat(step.expectedStatus()).as("step %s", row.step()).isEqualTo(row.status());
		}
	}

	@Test
	void eachStepSendsTheTokenTheReadmeNames() {
		for (DemoWalkThrough.Row row : DemoWalkThrough.rows()) {
			WalkThroughStep step = WalkThrough.STEPS.get(row.step() - 1);
			String curl = row.curl();
			String expected;
			if (curl.contains("$USER1")) {
				expected = "user1.jwt";
			}
			else if (curl.contains("$USER2")) {
				expected = "user2.jwt";
			}
			else if (curl.contains("$EXPIRED")) {
				expected = "expired.jwt";
			}
			else if (curl.contains("$(cat ")) {
				expected = curl.substring(curl.indexOf("$(cat ") + 6, curl.indexOf(')', curl.indexOf("$(cat ")));
			}
			else if (curl.contains("Bearer ")) {
				expected = curl.substring(curl.indexOf("Bearer ") + 7, curl.lastIndexOf('"'));
			}
			else {
				expected = null;
			}
			assertThat(step.token()).as("step %s: %s", row.step(), curl).isEqualTo(expected);
			WalkThroughStep.TokenPlacement placement = curl.contains("access_token=")
					? WalkThroughStep.TokenPlacement.ACCESS_TOKEN_PARAMETER : curl.contains("bearer ")
							? WalkThroughStep.TokenPlacement.LOWER_CASE_BEARER : WalkThroughStep.TokenPlacement.BEARER;
			assertThat(step.placement()).as("step %s", row.step()).isEqualTo(placement);
		}
	}

	@Test
	void theDemoTokensAreInTheJar() {
		for (WalkThroughStep step : WalkThrough.STEPS) {
			if (step.token() != null && step.token().endsWith(".jwt")) {
				assertThat(DemoTokens.value(step.token())).as(step.token()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
			}
		}
		assertThat(DemoTokens.value("deadbeef")).isEqualTo("deadbeef");
	}

}
