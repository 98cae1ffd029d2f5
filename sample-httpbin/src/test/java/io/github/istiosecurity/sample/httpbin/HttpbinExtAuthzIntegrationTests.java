package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ext-authz} profile against an authorizer that answers as Istio's sample
 * ext-authz server does (HTTP: {@code x-ext-authz: allow} allows, anything else gets 403
 * with its body): the admin area is decided by it first, then by httpbin's own policies;
 * the rest of httpbin never asks it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("ext-authz")
class HttpbinExtAuthzIntegrationTests {

	private static final String DENY_BODY = "denied by ext_authz for not found header `x-ext-authz: allow` in the request";

	private static final HttpServer authorizer = sampleExtAuthz();

	private static int checks;

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void authorizerPort(DynamicPropertyRegistry registry) {
		registry.add("EXT_AUTHZ_HOST", () -> "127.0.0.1");
		registry.add("EXT_AUTHZ_PORT", () -> authorizer.getAddress().getPort());
	}

	@AfterAll
	static void stop() {
		authorizer.stop(0);
	}

	@Test
	void theAuthorizerAllowsAndHttpbinsPoliciesStillApply() throws Exception {
		HttpResponse<String> allowed = get("/anything/admin/users", "x-ext-authz", "allow", "Authorization",
				"Bearer " + DemoKeyTokens.sign("{\"iss\":\"" + DemoKeyTokens.ISSUER + "\",\"sub\":\"user1\",\"exp\":"
						+ DemoKeyTokens.FAR_FUTURE + "}"));
		assertThat(allowed.statusCode()).isEqualTo(200);
		// the authorizer's x-ext-authz-check-result (headersToUpstreamOnAllow) reached
		// httpbin
		assertThat(allowed.body()).contains("\"X-Ext-Authz-Check-Result\":\"allowed\"");
		// allowed by the authorizer, but without a token httpbin's ALLOW policy refuses
		HttpResponse<String> noToken = get("/anything/admin/users", "x-ext-authz", "allow");
		assertThat(noToken.statusCode()).isEqualTo(403);
		assertThat(noToken.body()).isEqualTo("RBAC: access denied");
	}

	@Test
	void theAuthorizersDenialReachesTheClient() throws Exception {
		HttpResponse<String> denied = get("/anything/admin/users", "x-ext-authz", "deny");
		assertThat(denied.statusCode()).isEqualTo(403);
		assertThat(denied.body()).isEqualTo(DENY_BODY);
		assertThat(denied.headers().firstValue("x-ext-authz-check-result")).hasValue("denied");
	}

	@Test
	void theRestOfHttpbinNeverAsksTheAuthorizer() throws Exception {
		int before = checks;
		assertThat(get("/anything/public", "x-ext-authz", "deny").statusCode()).isEqualTo(403);
		assertThat(checks).isEqualTo(before);
	}

	private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Answers as samples/extauthz of Istio answers an HTTP check. */
	private static HttpServer sampleExtAuthz() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
			server.createContext("/", HttpbinExtAuthzIntegrationTests::check);
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void check(HttpExchange exchange) throws IOException {
		checks++;
		boolean allow = "allow".equals(exchange.getRequestHeaders().getFirst("x-ext-authz"));
		exchange.getResponseHeaders().set("x-ext-authz-check-result", allow ? "allowed" : "denied");
		byte[] body = allow ? new byte[0] : DENY_BODY.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(allow ? 200 : 403, (body.length == 0) ? -1 : body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

}
