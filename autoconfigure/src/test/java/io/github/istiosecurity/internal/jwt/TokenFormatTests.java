package io.github.istiosecurity.internal.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.b64;
import static io.github.istiosecurity.internal.jwt.TestTokens.raw;

/**
 * §2.6 step 1: every format status string, in jwt_verify_lib's order, against RA-1.
 */
class TokenFormatTests extends JwtTestSupport {

	private static final String HEADER = "{\"alg\":\"RS256\",\"kid\":\"k1\"}";

	private static final String PAYLOAD = "{\"iss\":\"https://idp.example.com\",\"sub\":\"alice\"}";

	private JwtOutcome send(String token) {
		return authenticate(TestRule.ra1(), FakeTokenRequest.bearer(token));
	}

	/**
	 * A header without prefix hands over the whole value, including characters a bearer
	 * token cannot have.
	 */
	private JwtOutcome sendRaw(String token) {
		return authenticate(TestRule.ra1().fromHeader("x-jwt", ""), FakeTokenRequest.get().header("x-jwt", token));
	}

	@Test
	void bearerExtractionStopsAtTheFirstCharacterOutsideBase64urlAndDot() {
		assertThat(send("a+b." + b64(PAYLOAD) + ".c2ln"))
			.isRejectedWith("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
	}

	@Test
	void garbageBearerIsNotInTheFormOfThreeSections() {
		// Ex 40
		assertThat(send("deadbeef"))
			.isRejectedWith("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
	}

	@Test
	void fourSectionsAreNotAToken() {
		assertThat(send("a.b.c.d"))
			.isRejectedWith("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
	}

	@Test
	void emptyPiecesAreIgnoredWhenSplitting() {
		// "h..p.s" splits into three pieces (absl::SkipEmpty): it then fails later, not
		// on the form.
		String token = b64(HEADER) + ".." + b64(PAYLOAD) + ".c2ln";
		assertThat(send(token)).isRejectedWith("Jwt verification fails");
	}

	@Test
	void validTokenWithAnEmptyPieceInsideStillVerifies() {
		String token = TestTokens.token();
		int dot = token.indexOf('.');
		String withEmptyPiece = token.substring(0, dot) + "." + token.substring(dot);
		assertThat(send(withEmptyPiece)).isAuthenticatedAs("https://idp.example.com/alice");
	}

	@Test
	void headerThatIsNotBase64url() {
		assertThat(sendRaw("a+b." + b64(PAYLOAD) + ".c2ln"))
			.isRejectedWith("Jwt header is an invalid Base64url encoded");
	}

	@Test
	void headerThatIsNotJson() {
		// An unquoted value is invalid even for protobuf's legacy syntax, which allows
		// {alg:'RS256'}
		// (TokenJsonTests).
		assertThat(send(raw("{alg:RS256}", PAYLOAD, "c2ln"))).isRejectedWith("Jwt header is an invalid JSON");
	}

	@Test
	void headerThatIsAJsonArray() {
		assertThat(send(raw("[1]", PAYLOAD, "c2ln"))).isRejectedWith("Jwt header is an invalid JSON");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"kid\":\"k1\"}", "{\"alg\":256}", "{\"alg\":null}" })
	void headerWithoutAStringAlg(String header) {
		assertThat(send(raw(header, PAYLOAD, "c2ln")))
			.isRejectedWith("Jwt header [alg] field is required and must be a string");
	}

	@ParameterizedTest
	@CsvSource({ "none", "RS1", "rs256", "ES256K", "Ed25519" })
	void unsupportedAlgorithms(String alg) {
		// Ex 49: alg none is refused.
		assertThat(send(raw("{\"alg\":\"" + alg + "\"}", PAYLOAD, "")))
			.isRejectedWith("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
		assertThat(send(raw("{\"alg\":\"" + alg + "\"}", PAYLOAD, "c2ln")))
			.isRejectedWith("Jwt header [alg] is not supported");
	}

	@Test
	void kidThatIsNotAString() {
		assertThat(send(raw("{\"alg\":\"RS256\",\"kid\":1}", PAYLOAD, "c2ln")))
			.isRejectedWith("Jwt header [kid] field is not a string");
	}

	@Test
	void payloadThatIsNotBase64url() {
		assertThat(sendRaw(b64(HEADER) + ".a/b.c2ln")).isRejectedWith("Jwt payload is an invalid Base64url encoded");
	}

	@Test
	void payloadThatIsNotJson() {
		assertThat(send(raw(HEADER, "{\"iss\":", "c2ln"))).isRejectedWith("Jwt payload is an invalid JSON");
		assertThat(send(raw(HEADER, "{} trailing", "c2ln"))).isRejectedWith("Jwt payload is an invalid JSON");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "iss|5|Jwt payload [iss] field is not a string",
			"sub|true|Jwt payload [sub] field is not a string", "jti|[\"a\"]|Jwt payload [jti] field is not a string",
			"iat|\"now\"|Jwt payload [iat] field is not an integer",
			"nbf|\"1\"|Jwt payload [nbf] field is not an integer", "exp|null|Jwt payload [exp] field is not an integer",
			"iat|-1|Jwt payload [iat] field is not a positive 64 bit integer",
			"nbf|-0.5|Jwt payload [nbf] field is not a positive 64 bit integer",
			"exp|1e30|Jwt payload [exp] field is not a positive 64 bit integer",
			"aud|5|Jwt payload [aud] field is not a string or string list",
			"aud|[\"a\",1]|Jwt payload [aud] field is not a string or string list" })
	void payloadClaimsOfTheWrongType(String claim, String json, String status) {
		String payload = "{\"iss\":\"https://idp.example.com\",\"sub\":\"alice\",\"" + claim + "\":" + json + "}";
		if (claim.equals("iss") || claim.equals("sub")) {
			payload = "{\"" + claim + "\":" + json + "}";
		}
		assertThat(send(raw(HEADER, payload, "c2ln"))).isRejectedWith(status);
	}

	@Test
	void payloadFieldsAreCheckedInJwtVerifyLibOrder() {
		// iss before exp before aud.
		assertThat(send(raw(HEADER, "{\"aud\":1,\"exp\":\"x\",\"iss\":2}", "c2ln")))
			.isRejectedWith("Jwt payload [iss] field is not a string");
		assertThat(send(raw(HEADER, "{\"aud\":1,\"exp\":\"x\"}", "c2ln")))
			.isRejectedWith("Jwt payload [exp] field is not an integer");
	}

	@Test
	void fractionalTimesAreTruncated() {
		String token = TestTokens.sign(TestTokens.K1, JWSAlgorithm.RS256, "k1",
				TestTokens.claims("exp", TestTokens.NOW.getEpochSecond() + 0.9, "iat", 1.5));
		assertThat(send(token)).isAuthenticated();
	}

	@Test
	void signatureThatIsNotBase64url() {
		assertThat(sendRaw(raw(HEADER, PAYLOAD, "a+b")))
			.isRejectedWith("Jwt signature is an invalid Base64url encoded");
	}

	@Test
	void formatIsCheckedBeforeTheIssuer() {
		assertThat(send(raw(HEADER, "{\"iss\":\"https://other.example\",\"exp\":-1}", "c2ln")))
			.isRejectedWith("Jwt payload [exp] field is not a positive 64 bit integer");
	}

}
