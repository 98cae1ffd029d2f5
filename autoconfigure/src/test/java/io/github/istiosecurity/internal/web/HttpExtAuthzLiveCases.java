package io.github.istiosecurity.internal.web;

import java.net.http.HttpResponse;

import io.github.istiosecurity.testsupport.AuthorizerCase;
import io.github.istiosecurity.testsupport.HttpAuthorizer;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.testsupport.AuthorizerCase.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ExtAuthzLiveCases} with an {@code envoyExtAuthzHttp} provider
 * ({@code extauthz/http.properties}), and what only Envoy's HTTP protocol has: the check
 * request's line and headers, and redirects.
 */
public abstract class HttpExtAuthzLiveCases extends ExtAuthzLiveCases {

	@Override
	protected final boolean grpc() {
		return false;
	}

	@Test
	void theHttpCheckCarriesTheRequestLineHostAuthorizationAndTheNamedHeaders() {
		http().send("PUT", "/admin/users?page=2", HEADER, AuthorizerCase.ALLOW, "x-keep-this", "1", "x-not-listed", "2",
				"Authorization", "Bearer abc", "x-fixed", "from-client");
		HttpAuthorizer.Check check = HTTP_AUTHORIZER.lastCheck();
		assertThat(check.method()).isEqualTo("PUT");
		assertThat(check.path()).isEqualTo("/check/admin/users?page=2");
		assertThat(check.headers()).containsEntry("host", "127.0.0.1:" + this.port)
			.containsEntry("authorization", "Bearer abc")
			.containsEntry(HEADER, AuthorizerCase.ALLOW)
			.containsEntry("x-keep-this", "1")
			.containsEntry("x-fixed", "from-config")
			.containsEntry("content-length", "0")
			.doesNotContainKey("x-not-listed");
	}

	@Override
	protected String receivedBody() {
		return HTTP_AUTHORIZER.lastCheck().body();
	}

	@Test
	void theBodyGoesAsTheCheckRequestsBody() {
		http().postJson("/admin/body", "0123456789abcdefXYZ", HEADER, AuthorizerCase.ALLOW);
		HttpAuthorizer.Check check = HTTP_AUTHORIZER.lastCheck();
		assertThat(check.method()).isEqualTo("POST");
		assertThat(check.body()).isEqualTo("0123456789abcdef");
		assertThat(check.headers()).containsEntry("content-length", "16");
	}

	@Test
	void aRedirectOfTheAuthorizerReachesTheClient() {
		HttpResponse<String> response = http().get("/admin/users", HEADER, AuthorizerCase.REDIRECT);
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("location")).hasValue("https://login.example.com/start");
	}

}
