package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The httpbin endpoints over real HTTP, with no security at all (profile
 * {@code nosecurity}): JSON shapes as httpbin.org answers them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "istio.security.enabled=false")
@ActiveProfiles("nosecurity")
class HttpbinEndpointsIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	// HTTP/1.1: the JDK client would otherwise ask for an h2c upgrade, adding headers to
	// every echo.
	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@Test
	void nosecurityProfileBuildsNoSecurityFilterChain(@Autowired ApplicationContext context) {
		assertThat(context.containsBean("springSecurityFilterChain")).isFalse();
	}

	@Test
	void getEchoesArgsHeadersOriginAndUrl() throws Exception {
		HttpResponse<String> response = send(
				request("/get?a=1&a=2&b=x%20y&c").header("X-Dup", "1").header("X-Dup", "2").GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		Map<String, Object> body = parse(response);
		assertThat(body.keySet()).containsExactly("args", "headers", "origin", "url");
		assertThat(body.get("args")).isEqualTo(Map.of("a", List.of("1", "2"), "b", "x y", "c", ""));
		assertThat(headers(body)).containsEntry("X-Dup", "1,2").containsEntry("Host", "127.0.0.1:" + this.port);
		assertThat(body.get("origin")).isEqualTo("127.0.0.1");
		assertThat(body.get("url")).isEqualTo(url("/get?a=1&a=2&b=x%20y&c"));
	}

	@Test
	void postEchoesJsonBody() throws Exception {
		HttpResponse<String> response = send(request("/post?q=1").header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"k\":[1,2],\"s\":\"v\"}")));
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> body = parse(response);
		assertThat(body.keySet()).containsExactly("args", "data", "form", "headers", "json", "origin", "url");
		assertThat(body.get("args")).isEqualTo(Map.of("q", "1"));
		assertThat(body.get("data")).isEqualTo("{\"k\":[1,2],\"s\":\"v\"}");
		assertThat(body.get("form")).isEqualTo(Map.of());
		assertThat(body.get("json")).isEqualTo(Map.of("k", List.of(1, 2), "s", "v"));
		// The header as sent: no charset added by the servlet stack.
		assertThat(headers(body)).containsEntry("Content-Type", "application/json");
	}

	@Test
	void postWithTextThatIsNotJsonHasNullJson() throws Exception {
		Map<String, Object> body = parse(
				send(request("/post").header("Content-Type", "text/plain").POST(BodyPublishers.ofString("hello"))));
		assertThat(body).containsEntry("data", "hello").containsEntry("json", null);
	}

	@Test
	void putEchoesFormBodyAsForm() throws Exception {
		Map<String, Object> body = parse(
				send(request("/put").header("Content-Type", "application/x-www-form-urlencoded")
					.PUT(BodyPublishers.ofString("f=1&g=h+i&f=2"))));
		assertThat(body.get("form")).isEqualTo(Map.of("f", List.of("1", "2"), "g", "h i"));
		assertThat(body).containsEntry("data", "").containsEntry("json", null);
	}

	@Test
	void patchEchoesBinaryBodyAsDataUrl() throws Exception {
		Map<String, Object> body = parse(send(request("/patch").header("Content-Type", "application/octet-stream")
			.method("PATCH", BodyPublishers.ofByteArray(new byte[] { (byte) 0xff, (byte) 0xfe }))));
		assertThat(body).containsEntry("data", "data:application/octet-stream;base64,//4=");
	}

	@Test
	void deleteWithoutBodyHasEmptyDataAndNullJson() throws Exception {
		HttpResponse<String> response = send(request("/delete").DELETE());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(parse(response)).containsEntry("data", "").containsEntry("json", null).containsKey("headers");
	}

	@Test
	void headersKeepsEveryHeaderInTitleCaseAndJoinsRepeatedOnes() throws Exception {
		HttpResponse<String> response = send(request("/headers").header("x-custom-thing", "a")
			.header("X-Forwarded-For", "10.0.0.1")
			.header("x-forwarded-for", "10.0.0.2")
			.header("Authorization", "Bearer not-checked-here")
			.GET());
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> body = parse(response);
		assertThat(body.keySet()).containsExactly("headers");
		assertThat(headers(body)).containsEntry("X-Custom-Thing", "a")
			.containsEntry("X-Forwarded-For", "10.0.0.1,10.0.0.2")
			.containsEntry("Authorization", "Bearer not-checked-here")
			.containsKey("User-Agent");
	}

	@Test
	void ipIsTheClientAddress() throws Exception {
		assertThat(parse(send(request("/ip").GET()))).isEqualTo(Map.of("origin", "127.0.0.1"));
	}

	@ParameterizedTest
	@CsvSource({ "GET, 200", "POST, 201", "PUT, 418", "PATCH, 204", "DELETE, 503", "OPTIONS, 299" })
	void statusAnswersWithTheCodeAndNoBodyForAnyMethod(String method, int code) throws Exception {
		HttpResponse<String> response = send(request("/status/" + code).method(method, BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(code);
		assertThat(response.body()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "20x", "100", "199", "600", "2000", "-20", "200,201" })
	void statusRejectsWhatIsNotOneCodeFrom200To599(String code) throws Exception {
		HttpResponse<String> response = send(request("/status/" + code).GET());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("Invalid status code");
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" })
	void anythingEchoesMethodUrlAndBodyForAnyMethod(String method) throws Exception {
		HttpResponse<String> response = send(
				request("/anything/a/b?x=1").method(method, BodyPublishers.ofString("payload")));
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> body = parse(response);
		assertThat(body.keySet()).containsExactly("args", "data", "form", "headers", "json", "method", "origin", "url");
		assertThat(body).containsEntry("method", method)
			.containsEntry("url", url("/anything/a/b?x=1"))
			.containsEntry("args", Map.of("x", "1"))
			.containsEntry("data", "payload");
	}

	@Test
	void anythingWithoutSubpath() throws Exception {
		assertThat(parse(send(request("/anything").GET()))).containsEntry("url", url("/anything"));
	}

	@Test
	void getRejectsOtherMethods() throws Exception {
		assertThat(send(request("/get").POST(BodyPublishers.noBody())).statusCode()).isEqualTo(405);
	}

	private HttpRequest.Builder request(String pathAndQuery) {
		return HttpRequest.newBuilder(URI.create(url(pathAndQuery)));
	}

	private String url(String pathAndQuery) {
		return "http://127.0.0.1:" + this.port + pathAndQuery;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.client.send(request.build(), BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> parse(HttpResponse<String> response) {
		return json.readValue(response.body(), Map.class);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> headers(Map<String, Object> body) {
		return (Map<String, String>) body.get("headers");
	}

}
