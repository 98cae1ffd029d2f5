package io.github.istiosecurity.internal.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.istiosecurity.check.CheckResult;
import io.github.istiosecurity.check.PolicyCheck;
import io.github.istiosecurity.testsupport.AuthorizerCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.istiosecurity.testsupport.AuthorizerCase.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A live authorizer behind the provider {@code authz} ({@code extauthz/http.properties}
 * or {@code grpc.properties}: failOpen false, statusOnError 503, a 5 s timeout, two
 * checks waiting at most): its allowing answer changes the request that JWT, the policies
 * and the application see, its denial reaches the client as it gave it, its failures get
 * statusOnError, and requests without a CUSTOM rule never wait for it (§3.18, §3.19).
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class ExtAuthzLiveCases extends ExtAuthzCases {

	@Autowired
	private PolicyCheck check;

	@Test
	void anAllowingAnswerChangesTheRequestThePoliciesAndTheApplicationSee() {
		HttpResponse<String> response = http().get("/headers?q=1", HEADER, AuthorizerCase.ALLOW, "x-remove-me", "bye",
				"x-keep-appended", "orig", "x-not-listed", "2", "Authorization", "Basic dXNlcjpwdw==");
		// the ALLOW policy lets /headers through only with the authorizer's x-authz-user:
		// alice
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"x-authz-user\":\"alice\"").doesNotContain("x-remove-me");
		assertThat(response.headers().firstValue("x-client-note")).hasValue("hello");
		// HTTP: only the answer's headers of headersToUpstreamOnAllow; gRPC: an appending
		// header joins the value
		assertThat(response.body()).doesNotContain("x-other")
			.contains(grpc() ? "\"x-keep-appended\":\"orig,added\"" : "\"x-keep-appended\":\"orig\"");
	}

	@Test
	void aDenialReachesTheClientWithTheAuthorizersStatusHeadersAndBody(CapturedOutput output) {
		HttpResponse<String> response = http().get("/admin/users", HEADER, AuthorizerCase.DENY);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo(AuthorizerCase.DENIED_BODY);
		assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"authz\"");
		assertThat(response.headers().firstValue("x-deny-reason")).hasValue("policy");
		// HTTP: headersToDownstreamOnDeny names x-deny-* (WWW-Authenticate and Location
		// always pass); the gRPC
		// authorizer's denial has no x-hidden
		assertThat(response.headers().firstValue("x-hidden")).isEmpty();
		assertThat(output).contains("GET /admin/users denied: extension provider 'authz' denied with 401 after "
				+ "CUSTOM policy foo/ext-authz rule 0");
	}

	@Test
	void aFailingAuthorizerGetsStatusOnErrorWithAnEmptyBody(CapturedOutput output) {
		HttpResponse<String> response = http().get("/admin/users", HEADER, AuthorizerCase.ERROR);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).isEmpty();
		assertThat(output).contains("denied: extension provider 'authz' failed (")
			.contains("), statusOnError 503, after CUSTOM policy foo/ext-authz rule 0");
	}

	@Test
	void anAuthorizerSlowerThanTheTimeoutGetsStatusOnError(CapturedOutput output) {
		try {
			HttpResponse<String> response = http().get("/admin/users", HEADER, AuthorizerCase.SLOW);
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.body()).isEmpty();
			assertThat(output).contains("extension provider 'authz' failed (no answer within the timeout of 5000 ms)");
		}
		finally {
			release();
		}
	}

	@Test
	void requestsThatNoCustomRuleMatchesNeverReachTheAuthorizer() {
		int before = checksReceived();
		assertThat(http().get("/public", HEADER, AuthorizerCase.DENY).statusCode()).isEqualTo(200);
		assertThat(http().get("/public/x", HEADER, AuthorizerCase.SLOW).statusCode()).isEqualTo(200);
		assertThat(checksReceived()).isEqualTo(before);
	}

	@Test
	void whileChecksWaitForTheAuthorizerOtherRequestsAreServedAndExtraChecksFailAtOnce() {
		int before = checksReceived();
		try {
			CompletableFuture<HttpResponse<String>> first = async("/admin/a");
			CompletableFuture<HttpResponse<String>> second = async("/admin/b");
			await().atMost(Duration.ofSeconds(4)).until(() -> waiting() == 2);
			// max-concurrent-custom-checks=2: a third check does not wait, and does not
			// reach the authorizer
			HttpResponse<String> third = http().get("/admin/c", HEADER, AuthorizerCase.SLOW);
			assertThat(third.statusCode()).isEqualTo(503);
			assertThat(http().get("/public").statusCode()).isEqualTo(200);
			assertThat(waiting()).isEqualTo(2);
			release();
			assertThat(first.join().statusCode()).isEqualTo(200);
			assertThat(second.join().statusCode()).isEqualTo(200);
			assertThat(checksReceived()).isEqualTo(before + 2);
		}
		finally {
			release();
		}
	}

	@Test
	void aBodyWithinTheLimitReachesTheAuthorizerAndTheApplication() {
		HttpResponse<String> response = http().postJson("/admin/body", "hello", HEADER, AuthorizerCase.ALLOW);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello");
		assertThat(receivedBody()).isEqualTo("hello");
	}

	@Test
	void aLongerBodyIsCutForTheAuthorizerAndWholeForTheApplication() {
		String body = "0123456789abcdefghijklmnopqrstuvwxyz";
		HttpResponse<String> response = http().postJson("/admin/body", body, HEADER, AuthorizerCase.ALLOW);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(body);
		// max-request-bytes=16, allow-partial-message=true
		assertThat(receivedBody()).isEqualTo("0123456789abcdef");
	}

	@Test
	void aFormBodyReadForTheCheckStillReachesTheApplicationAsParameters() {
		// longer than max-request-bytes (16): the authorizer gets the start, the
		// application every parameter
		HttpResponse<String> response = http().postForm("/admin/form", "a=1&b=x+y&c=0123456789", HEADER,
				AuthorizerCase.ALLOW);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"a\":\"1\"", "\"b\":\"x y\"", "\"c\":\"0123456789\"");
		assertThat(receivedBody()).isEqualTo("a=1&b=x+y&c=0123");
	}

	/**
	 * Returns the body the authorizer received with the last check.
	 * @return the body
	 */
	protected abstract String receivedBody();

	@Test
	void theCheckNamesTheProviderAndItsAnswer() {
		CheckResult denied = this.check.check(io.github.istiosecurity.check.CheckRequest.builder()
			.path("/admin/users")
			.header(HEADER, AuthorizerCase.DENY)
			.build());
		assertThat(denied.status()).isEqualTo(401);
		assertThat(denied.custom()).startsWith("denied: extension provider 'authz' denied with 401");
		CheckResult allowed = this.check.check(io.github.istiosecurity.check.CheckRequest.builder()
			.path("/headers")
			.header(HEADER, AuthorizerCase.ALLOW)
			.build());
		// the ALLOW policy sees the header the authorizer set
		assertThat(allowed.allowed()).isTrue();
		assertThat(allowed.custom()).startsWith("allowed: extension provider 'authz' allowed");
		assertThat(
				this.check.check(io.github.istiosecurity.check.CheckRequest.builder().path("/public").build()).custom())
			.isNull();
	}

	private CompletableFuture<HttpResponse<String>> async(String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header(HEADER, AuthorizerCase.SLOW)
			.timeout(Duration.ofSeconds(20))
			.build();
		return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private int waiting() {
		return grpc() ? GRPC_AUTHORIZER.waiting() : HTTP_AUTHORIZER.waiting();
	}

	private void release() {
		if (grpc()) {
			GRPC_AUTHORIZER.releaseSlow();
		}
		else {
			HTTP_AUTHORIZER.releaseSlow();
		}
	}

}
