package io.github.istiosecurity.internal.jwt;

/**
 * The failure statuses of §2.6 with Envoy's exact strings (jwt_verify_lib {@code Status})
 * and HTTP status.
 */
enum JwtFailure {

	BAD_FORMAT("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"),
	HEADER_BAD_BASE64("Jwt header is an invalid Base64url encoded"), HEADER_BAD_JSON("Jwt header is an invalid JSON"),
	HEADER_BAD_ALG("Jwt header [alg] field is required and must be a string"),
	HEADER_ALG_NOT_SUPPORTED("Jwt header [alg] is not supported"),
	HEADER_BAD_KID("Jwt header [kid] field is not a string"),
	PAYLOAD_BAD_BASE64("Jwt payload is an invalid Base64url encoded"),
	PAYLOAD_BAD_JSON("Jwt payload is an invalid JSON"), ISS_NOT_STRING("Jwt payload [iss] field is not a string"),
	SUB_NOT_STRING("Jwt payload [sub] field is not a string"),
	IAT_NOT_INTEGER("Jwt payload [iat] field is not an integer"),
	IAT_NOT_POSITIVE("Jwt payload [iat] field is not a positive 64 bit integer"),
	NBF_NOT_INTEGER("Jwt payload [nbf] field is not an integer"),
	NBF_NOT_POSITIVE("Jwt payload [nbf] field is not a positive 64 bit integer"),
	EXP_NOT_INTEGER("Jwt payload [exp] field is not an integer"),
	EXP_NOT_POSITIVE("Jwt payload [exp] field is not a positive 64 bit integer"),
	JTI_NOT_STRING("Jwt payload [jti] field is not a string"),
	AUD_NOT_STRING_LIST("Jwt payload [aud] field is not a string or string list"),
	SIGNATURE_BAD_BASE64("Jwt signature is an invalid Base64url encoded"),
	UNKNOWN_ISSUER("Jwt issuer is not configured"), NOT_YET_VALID("Jwt not yet valid"), EXPIRED("Jwt is expired"),
	AUDIENCE_NOT_ALLOWED("Audiences in Jwt are not allowed", 403),
	KID_ALG_MISMATCH("Jwks doesn't have key to match kid or alg from Jwt"),
	VERIFICATION_FAILS("Jwt verification fails"), NO_VALID_KEYS("Jwks doesn't have any valid public key");

	private final String status;

	private final int httpStatus;

	JwtFailure(String status) {
		this(status, 401);
	}

	JwtFailure(String status, int httpStatus) {
		this.status = status;
		this.httpStatus = httpStatus;
	}

	String status() {
		return this.status;
	}

	int httpStatus() {
		return this.httpStatus;
	}

	/** The bounded reason reported in metrics. */
	JwtFailureReason reason() {
		return switch (this) {
			case UNKNOWN_ISSUER -> JwtFailureReason.UNKNOWN_ISSUER;
			case NOT_YET_VALID -> JwtFailureReason.NOT_YET_VALID;
			case EXPIRED -> JwtFailureReason.EXPIRED;
			case AUDIENCE_NOT_ALLOWED -> JwtFailureReason.AUDIENCE;
			case KID_ALG_MISMATCH -> JwtFailureReason.KID_MISMATCH;
			case VERIFICATION_FAILS -> JwtFailureReason.BAD_SIGNATURE;
			case NO_VALID_KEYS -> JwtFailureReason.NO_KEYS;
			default -> JwtFailureReason.MALFORMED;
		};
	}

}
