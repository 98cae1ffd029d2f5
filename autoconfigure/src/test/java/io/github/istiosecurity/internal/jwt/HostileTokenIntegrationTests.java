package io.github.istiosecurity.internal.jwt;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.istiosecurity.testsupport.CasePolicies;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.istiosecurity.testsupport.CasePolicies.IDP;
import static io.github.istiosecurity.testsupport.CasePolicies.K1;
import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile tokens against a real servlet application on a random port, with the key set
 * served over HTTP and tokens really signed with its key: spellings of one token with
 * empty pieces are one token (one cache entry), a token beyond the size limit and
 * payloads Envoy's JSON parser refuses (too deep, numbers beyond a double, lone
 * surrogates, duplicate names, invalid UTF-8) are 401 with Envoy's status, never a 500.
 * The server's header limit is raised so that the large tokens reach the starter.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin",
				"server.max-http-request-header-size=128KB" })
class HostileTokenIntegrationTests {

	private static final String BAD_FORMAT = JwtFailure.BAD_FORMAT.status();

	static JwksServer jwks;

	@LocalServerPort
	int port;

	@Autowired
	VerifiedTokenCache cache;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		jwks = new JwksServer().publish(K1);
		Path dir = CasePolicies.write(jwks.jwksUri());
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@AfterAll
	static void stopJwks() {
		jwks.close();
	}

	@BeforeEach
	void emptyCache() {
		this.cache.invalidateAll();
	}

	private HttpResponse<String> get(String token) {
		return new Http(this.port).get("/anything/x", bearer(token));
	}

	/** user1's claims (allowed to GET) followed by more members, given as JSON text. */
	private static String user1(String moreMembers) {
		return "{\"iss\":\"" + IDP + "\",\"sub\":\"user1\",\"exp\":" + Instant.now().plusSeconds(3600).getEpochSecond()
				+ (moreMembers.isEmpty() ? "" : "," + moreMembers) + "}";
	}

	private static String sign(String payloadJson) {
		return TestTokens.sign(K1, JWSAlgorithm.RS256, "k1", payloadJson);
	}

	private void assertRefused(HttpResponse<String> response, String status) {
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("www-authenticate"))
			.hasValue("Bearer realm=\"http://127.0.0.1:" + this.port + "/anything/x\", error=\"invalid_token\"");
	}

	@Test
	void spellingsWithEmptyPiecesAreOneTokenAndOneCacheEntry() {
		String token = sign(user1(""));
		String[] pieces = token.split("\\.");
		String[] spellings = { token, token + ".", pieces[0] + ".." + pieces[1] + "." + pieces[2], "." + token,
				"..." + pieces[0] + "...." + pieces[1] + "..." + pieces[2] + "....." };
		for (String spelling : spellings) {
			assertThat(get(spelling).statusCode()).as(spelling).isEqualTo(200);
		}
		assertThat(this.cache.estimatedSize()).isEqualTo(1);
	}

	@Test
	void theApplicationSeesTheCanonicalTokenWhateverTheSpelling() {
		String token = sign(user1(""));
		HttpResponse<String> response = new Http(this.port).get("/whoami", bearer(".." + token + ".."));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"subject\":\"user1\"");
	}

	@Test
	void aTokenBeyondTheSizeLimitIsRefusedAsNotAToken() {
		String oversized = sign(user1("\"padding\":\"" + "x".repeat(50 * 1024) + "\""));
		assertThat(oversized.length()).isGreaterThan(ParsedToken.MAX_LENGTH);
		HttpResponse<String> response = get(oversized);
		assertRefused(response, BAD_FORMAT);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		assertThat(this.cache.estimatedSize()).isZero();
	}

	@Test
	void aTokenJustWithinTheSizeLimitIsVerified() {
		String large = sign(user1("\"padding\":\"" + "x".repeat(43 * 1024) + "\""));
		assertThat(large.length()).isBetween(ParsedToken.MAX_LENGTH - 4096, ParsedToken.MAX_LENGTH);
		assertThat(get(large).statusCode()).isEqualTo(200);
	}

	@Test
	void nestingAtEnvoysLimitIsAccepted() {
		assertThat(get(sign(user1("\"deep\":" + "[".repeat(99) + "]".repeat(99)))).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(ints = { 100, 20_000 })
	void nestingBeyondEnvoysLimitIsAnInvalidPayload(int depth) {
		// The top-level object is the first level: 100 arrays inside it are one too many.
		assertRefused(get(sign(user1("\"deep\":" + "[".repeat(depth) + "]".repeat(depth)))),
				"Jwt payload is an invalid JSON");
	}

	@Test
	void nestingBeyondEnvoysLimitIsAnInvalidHeader() {
		String header = "{\"alg\":\"RS256\",\"deep\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + "}";
		String token = TestTokens.raw(header, user1(""), "c2ln");
		assertRefused(get(token), "Jwt header is an invalid JSON");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"n\":1e400", "\"n\":-1e400", "\"exp2\":1e999999999" })
	void numbersBeyondADoubleAreAnInvalidPayload(String member) {
		assertRefused(get(sign(user1(member))), "Jwt payload is an invalid JSON");
	}

	@Test
	void anIntegerOfThousandsOfDigitsIsAnInvalidPayload() {
		assertRefused(get(sign(user1("\"n\":" + "9".repeat(30_000)))), "Jwt payload is an invalid JSON");
	}

	@Test
	void anExpBeyondADoubleIsAnInvalidPayloadNotAnExpiryError() {
		assertRefused(get(sign("{\"iss\":\"" + IDP + "\",\"sub\":\"user1\",\"exp\":1" + "0".repeat(400) + "}")),
				"Jwt payload is an invalid JSON");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"x\":\"\\uD800\"", "\"x\":\"\\uDC00\"", "\"\\uD83D\":1", "\"sub\":\"other\"" })
	void loneSurrogatesAndDuplicateNamesAreAnInvalidPayload(String member) {
		assertRefused(get(sign(user1(member))), "Jwt payload is an invalid JSON");
	}

	@Test
	void invalidUtf8IsAnInvalidPayload() {
		// "é" is C3 A9 in UTF-8; C3 followed by an ASCII letter is a truncated sequence.
		String payload = user1("\"x\":\"\u00e9\"");
		byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
		int at = payload.indexOf('\u00e9') + 1;
		bytes[at] = 'A';
		String token = TestTokens.b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}") + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + ".c2ln";
		assertRefused(get(token), "Jwt payload is an invalid JSON");
	}

}
