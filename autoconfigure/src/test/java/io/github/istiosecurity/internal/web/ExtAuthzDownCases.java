package io.github.istiosecurity.internal.web;

import java.net.http.HttpResponse;

import io.github.istiosecurity.testsupport.AuthorizerCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.istiosecurity.testsupport.AuthorizerCase.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider whose authorizer is down ({@code extauthz/*-down.properties}: nothing
 * listens on its port, Istio's defaults otherwise): a request a CUSTOM rule matches gets
 * Istio's default statusOnError, 403 with an empty body, at once; the others never notice
 * (§3.18, §3.19).
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class ExtAuthzDownCases extends ExtAuthzCases {

	@Test
	void aRequestACustomRuleMatchesGetsTheDefaultStatusOnError(CapturedOutput output) {
		HttpResponse<String> response = http().get("/admin/users", HEADER, AuthorizerCase.ALLOW);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).isEmpty();
		assertThat(output).contains("GET /admin/users denied: extension provider 'authz' failed (")
			.contains("127.0.0.1:" + DEAD_PORT)
			.contains("), statusOnError 403, after CUSTOM policy foo/ext-authz rule 0");
	}

	@Test
	void requestsThatNoCustomRuleMatchesAreServed() {
		assertThat(http().get("/public").statusCode()).isEqualTo(200);
	}

}
