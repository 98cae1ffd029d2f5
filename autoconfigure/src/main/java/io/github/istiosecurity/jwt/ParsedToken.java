package io.github.istiosecurity.jwt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;

/**
 * A token after the format checks of §2.6 step 1, in jwt_verify_lib's order ({@code Jwt::parseFromString}):
 * three non-empty pieces, header (base64url, JSON, {@code alg}, {@code kid}), payload (base64url, JSON,
 * {@code iss}, {@code sub}, {@code iat}, {@code nbf}, {@code exp}, {@code jti}, {@code aud}), signature
 * (base64url). Nothing here depends on a rule, so one parse serves every rule and is cached with the
 * verified signature.
 */
final class ParsedToken {

	/** Envoy's algorithms (§2.6); {@code none} is not among them. */
	static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
			"ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA");

	/** {@code UINT64_MAX} as a double: jwt_verify_lib's {@code GetUInt64} range limit. */
	private static final double UINT64_LIMIT = 18446744073709551615.0;

	private static final MappedJwtClaimSetConverter SPRING_CLAIMS = MappedJwtClaimSetConverter
		.withDefaults(Map.of());

	final String value;

	final @Nullable JwtFailure failure;

	final String headerSegment;

	final String payloadSegment;

	final byte[] signature;

	final String algorithm;

	final @Nullable String keyId;

	final Map<String, @Nullable Object> header;

	final Map<String, @Nullable Object> claims;

	final @Nullable String issuer;

	final @Nullable String subject;

	/** {@code nbf} in seconds, 0 when absent (jwt_verify_lib skips a zero). */
	final long notBefore;

	/** {@code exp} in seconds, 0 when absent: such a token never expires (§2.6). */
	final long expiresAt;

	final List<String> audiences;

	private volatile @Nullable Object springJwt;

	private ParsedToken(String value, JwtFailure failure) {
		this(value, failure, "", "", new byte[0], "", null, Map.of(), Map.of(), 0, 0, List.of());
	}

	private ParsedToken(String value, @Nullable JwtFailure failure, String headerSegment, String payloadSegment,
			byte[] signature, String algorithm, @Nullable String keyId, Map<String, @Nullable Object> header,
			Map<String, @Nullable Object> claims, long notBefore, long expiresAt, List<String> audiences) {
		this.value = value;
		this.failure = failure;
		this.headerSegment = headerSegment;
		this.payloadSegment = payloadSegment;
		this.signature = signature;
		this.algorithm = algorithm;
		this.keyId = keyId;
		this.header = header;
		this.claims = claims;
		this.issuer = (claims.get("iss") instanceof String iss) ? iss : null;
		this.subject = (claims.get("sub") instanceof String sub) ? sub : null;
		this.notBefore = notBefore;
		this.expiresAt = expiresAt;
		this.audiences = audiences;
	}

	static ParsedToken parse(String token) {
		// Split on '.' ignoring empty pieces (absl::SkipEmpty): "a..b.c" is three pieces (§2.6).
		String[] pieces = new String[3];
		int count = 0;
		int start = 0;
		int length = token.length();
		for (int i = 0; i <= length; i++) {
			if (i == length || token.charAt(i) == '.') {
				if (i > start) {
					if (count == 3) {
						return new ParsedToken(token, JwtFailure.BAD_FORMAT);
					}
					pieces[count++] = token.substring(start, i);
				}
				start = i + 1;
			}
		}
		if (count != 3) {
			return new ParsedToken(token, JwtFailure.BAD_FORMAT);
		}
		String headerJson = decodeText(pieces[0]);
		if (headerJson == null) {
			return new ParsedToken(token, JwtFailure.HEADER_BAD_BASE64);
		}
		Map<String, @Nullable Object> header = TokenJson.parseObject(headerJson);
		if (header == null) {
			return new ParsedToken(token, JwtFailure.HEADER_BAD_JSON);
		}
		if (!(header.get("alg") instanceof String algorithm)) {
			return new ParsedToken(token, JwtFailure.HEADER_BAD_ALG);
		}
		if (!SUPPORTED_ALGORITHMS.contains(algorithm)) {
			return new ParsedToken(token, JwtFailure.HEADER_ALG_NOT_SUPPORTED);
		}
		Object kid = header.get("kid");
		if (header.containsKey("kid") && !(kid instanceof String)) {
			return new ParsedToken(token, JwtFailure.HEADER_BAD_KID);
		}
		String payloadJson = decodeText(pieces[1]);
		if (payloadJson == null) {
			return new ParsedToken(token, JwtFailure.PAYLOAD_BAD_BASE64);
		}
		Map<String, @Nullable Object> claims = TokenJson.parseObject(payloadJson);
		if (claims == null) {
			return new ParsedToken(token, JwtFailure.PAYLOAD_BAD_JSON);
		}
		JwtFailure failure = checkString(claims, "iss", JwtFailure.ISS_NOT_STRING);
		if (failure == null) {
			failure = checkString(claims, "sub", JwtFailure.SUB_NOT_STRING);
		}
		if (failure == null) {
			failure = checkTime(claims, "iat", JwtFailure.IAT_NOT_INTEGER, JwtFailure.IAT_NOT_POSITIVE);
		}
		if (failure == null) {
			failure = checkTime(claims, "nbf", JwtFailure.NBF_NOT_INTEGER, JwtFailure.NBF_NOT_POSITIVE);
		}
		if (failure == null) {
			failure = checkTime(claims, "exp", JwtFailure.EXP_NOT_INTEGER, JwtFailure.EXP_NOT_POSITIVE);
		}
		if (failure == null) {
			failure = checkString(claims, "jti", JwtFailure.JTI_NOT_STRING);
		}
		if (failure != null) {
			return new ParsedToken(token, failure);
		}
		List<String> audiences = claims.containsKey("aud") ? audiences(claims.get("aud")) : List.of();
		if (audiences == null) {
			return new ParsedToken(token, JwtFailure.AUD_NOT_STRING_LIST);
		}
		byte[] signature = decode(pieces[2]);
		if (signature == null) {
			return new ParsedToken(token, JwtFailure.SIGNATURE_BAD_BASE64);
		}
		return new ParsedToken(token, null, pieces[0], pieces[1], signature, algorithm, (String) kid, header, claims,
				seconds(claims.get("nbf")), seconds(claims.get("exp")), audiences);
	}

	/**
	 * Returns the bytes the signature covers: the header and payload pieces joined by a dot.
	 * @return the signing input
	 */
	byte[] signingInput() {
		return (this.headerSegment + '.' + this.payloadSegment).getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Returns the token as Spring Security's {@link Jwt}, with Spring's standard claim conversions (times as
	 * {@code Instant}, {@code aud} as a list), built once.
	 * @return the Spring token, or {@code null} when Spring cannot represent it (an empty payload)
	 */
	@Nullable Jwt springJwt() {
		Object jwt = this.springJwt;
		if (jwt == null) {
			jwt = buildSpringJwt();
			this.springJwt = jwt;
		}
		return (jwt instanceof Jwt spring) ? spring : null;
	}

	private Object buildSpringJwt() {
		if (this.failure != null || this.claims.isEmpty()) {
			return Boolean.FALSE;
		}
		try {
			Map<String, Object> converted = SPRING_CLAIMS.convert(nonNullValues(this.claims));
			return Jwt.withTokenValue(this.value)
				.headers((headers) -> headers.putAll(nonNullValues(this.header)))
				.claims((claims) -> claims.putAll(converted))
				.build();
		}
		catch (RuntimeException ex) {
			// e.g. an exp beyond Instant's range: valid for Envoy, not representable for Spring.
			return Boolean.FALSE;
		}
	}

	private static Map<String, Object> nonNullValues(Map<String, @Nullable Object> values) {
		Map<String, Object> copy = new LinkedHashMap<>();
		values.forEach((name, value) -> {
			if (value != null) {
				copy.put(name, value);
			}
		});
		return copy;
	}

	private static @Nullable JwtFailure checkString(Map<String, @Nullable Object> claims, String name,
			JwtFailure failure) {
		return (claims.containsKey(name) && !(claims.get(name) instanceof String)) ? failure : null;
	}

	private static @Nullable JwtFailure checkTime(Map<String, @Nullable Object> claims, String name,
			JwtFailure notInteger, JwtFailure notPositive) {
		if (!claims.containsKey(name)) {
			return null;
		}
		if (!(claims.get(name) instanceof Number number)) {
			return notInteger;
		}
		double value = number.doubleValue();
		return (value < 0 || value >= UINT64_LIMIT) ? notPositive : null;
	}

	private static long seconds(@Nullable Object value) {
		if (!(value instanceof Number number)) {
			return 0;
		}
		if (number instanceof Long whole) {
			return whole;
		}
		double seconds = number.doubleValue();
		// Fractions are truncated (§2.6); beyond Long.MAX_VALUE is "never" for our comparisons.
		return (seconds >= Long.MAX_VALUE) ? Long.MAX_VALUE : (long) seconds;
	}

	private static @Nullable List<String> audiences(@Nullable Object aud) {
		if (aud instanceof String single) {
			return List.of(single);
		}
		if (!(aud instanceof List<?> list)) {
			return null;
		}
		List<String> audiences = new ArrayList<>(list.size());
		for (Object item : list) {
			if (!(item instanceof String string)) {
				return null;
			}
			audiences.add(string);
		}
		return audiences;
	}

	private static @Nullable String decodeText(String piece) {
		byte[] bytes = decode(piece);
		return (bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : null;
	}

	private static byte @Nullable [] decode(String piece) {
		try {
			// Accepts padded and unpadded base64url, refuses '+' and '/' (absl WebSafeBase64Unescape).
			return Base64.getUrlDecoder().decode(piece);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
