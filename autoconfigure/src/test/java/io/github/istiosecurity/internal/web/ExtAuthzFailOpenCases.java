package io.github.istiosecurity.internal.web;

import java.net.http.HttpResponse;

import io.github.istiosecurity.testsupport.AuthorizerCase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.istiosecurity.testsupport.AuthorizerCase.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider that fails open ({@code extauthz/*-fail-open.properties}: failOpen true, a
 * 0.5 s timeout): a check that fails lets the request through to the policies and the
 * application, and says so in the decision log; the authorizer's answers still count when
 * it gives them (§3.18).
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class ExtAuthzFailOpenCases extends ExtAuthzCases {

	@AfterEach
	void release() {
		HTTP_AUTHORIZER.releaseSlow();
		GRPC_AUTHORIZER.releaseSlow();
	}

	@Test
	void aCheckThatTimesOutLetsTheRequestThrough(CapturedOutput output) {
		HttpResponse<String> response = http().get("/admin/users", HEADER, AuthorizerCase.SLOW);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"path\":\"/admin/users\"");
		assertThat(output).contains("GET /admin/users allowed: extension provider 'authz' failed (no answer within the "
				+ "timeout of 500 ms) and fails open, after CUSTOM policy foo/ext-authz rule 0");
	}

	@Test
	void aFailingAuthorizerLetsTheRequestThrough() {
		assertThat(http().get("/admin/users", HEADER, AuthorizerCase.ERROR).statusCode()).isEqualTo(200);
	}

	@Test
	void aDenialStillCounts() {
		HttpResponse<String> response = http().get("/admin/users", HEADER, AuthorizerCase.DENY);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo(AuthorizerCase.DENIED_BODY);
	}

	@Test
	void failingOpenChangesNothingTheAuthorizerDidNotSay() {
		// no x-authz-user without an answer: the ALLOW policy refuses /headers
		HttpResponse<String> response = http().get("/headers", HEADER, AuthorizerCase.SLOW);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("RBAC: access denied");
	}

	@Test
	void aBodyLongerThanTheProviderHoldsGets413EvenWhenFailingOpen() {
		// max-request-bytes=16 without allow-partial-message: Envoy's 413, whatever
		// failOpen says
		HttpResponse<String> response = http().postJson("/admin/body", "0123456789abcdefghijklmnopqrstuvwxyz", HEADER,
				AuthorizerCase.ALLOW);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).isEqualTo("Payload Too Large");
		assertThat(http().postJson("/admin/body", "0123456789abcdef", HEADER, AuthorizerCase.ALLOW).body())
			.isEqualTo("0123456789abcdef");
	}

}
