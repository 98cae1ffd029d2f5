package io.github.istiosecurity.internal.jwt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;

/**
 * A token after the format checks of §2.6 step 1, in jwt_verify_lib's order
 * ({@code Jwt::parseFromString}): three non-empty pieces, header (base64url, JSON,
 * {@code alg}, {@code kid}), payload (base64url, JSON, {@code iss}, {@code sub},
 * {@code iat}, {@code nbf}, {@code exp}, {@code jti}, {@code aud}), signature
 * (base64url). Nothing here depends on a rule, so one parse serves every rule and is
 * cached with the verified signature.
 * <p>
 * Envoy splits on '.' skipping empty pieces, so {@code a.b.c}, {@code .a..b.c.} and every
 * other spelling with extra dots are one token. A parsed token holds the
 * {@link #canonical canonical} spelling (the three pieces joined by single dots), which
 * is also its verified-token cache key: the spellings share one entry.
 */
final class ParsedToken {

	/** Envoy's algorithms (§2.6); {@code none} is not among them. */
	static final Set<String> SUPPORTED_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
			"ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA");

	/**
	 * The longest token, in characters, that is read at all; a longer one is refused as
	 * not in the form of three sections before any other work. Envoy's jwt_authn has no
	 * limit of its own, but never sees a token this long: the HTTP connection manager
	 * answers 431 to requests whose headers (the path included) exceed
	 * {@code max_request_headers_kb}, 60 KiB unless configured (Envoy's
	 * {@code http_connection_manager.proto}). The servlet container or Netty usually
	 * refuse much less (8 KB of headers by default in Spring Boot), so this bound matters
	 * where an application raises its header limit.
	 */
	static final int MAX_LENGTH = 60 * 1024;

	/**
	 * Heap of a parsed token beyond its text and claims: the objects around them and the
	 * cache entry.
	 */
	private static final int FIXED_BYTES = 512;

	/**
	 * Heap of one member in Spring's copies of the header and claims
	 * ({@link #springJwt()}).
	 */
	private static final int SPRING_MEMBER_BYTES = 64;

	/** {@code UINT64_MAX} as a double: jwt_verify_lib's {@code GetUInt64} range limit. */
	private static final double UINT64_LIMIT = 18446744073709551615.0;

	private static final MappedJwtClaimSetConverter SPRING_CLAIMS = MappedJwtClaimSetConverter.withDefaults(Map.of());

	/**
	 * The canonical spelling when the token has three pieces, else the token as given.
	 */
	final String value;

	final @Nullable JwtFailure failure;

	/**
	 * Where the signature starts in {@link #value}; 0 for a token refused before its
	 * pieces were read.
	 */
	private final int signatureStart;

	private final int payloadStart;

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

	/**
	 * An estimate of the heap this token holds, for the verified-token cache's byte
	 * bound; an entry also weighs the outcome its token remembers
	 * ({@link #rememberedBytes()}).
	 */
	final int retainedBytes;

	private volatile @Nullable Object springJwt;

	private volatile @Nullable RememberedOutcome outcome;

	private ParsedToken(String value, JwtFailure failure) {
		this(value, failure, 0, 0, new byte[0], "", null, Map.of(), Map.of(), 0, 0, List.of(), 0);
	}

	private ParsedToken(String value, @Nullable JwtFailure failure, int payloadStart, int signatureStart,
			byte[] signature, String algorithm, @Nullable String keyId, Map<String, @Nullable Object> header,
			Map<String, @Nullable Object> claims, long notBefore, long expiresAt, List<String> audiences,
			int parsedBytes) {
		this.value = value;
		this.failure = failure;
		this.payloadStart = payloadStart;
		this.signatureStart = signatureStart;
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
		long bytes = FIXED_BYTES + (long) value.length() + signature.length + parsedBytes
				+ (long) SPRING_MEMBER_BYTES * (header.size() + claims.size());
		this.retainedBytes = (int) Math.min(Integer.MAX_VALUE, bytes);
	}

	/**
	 * Returns the canonical spelling of a token: its three non-empty pieces joined by
	 * single dots. Allocates nothing for a token that is already canonical, the usual
	 * case.
	 * @param token the token as extracted
	 * @return the canonical spelling, or {@code null} when the token is longer than
	 * {@link #MAX_LENGTH} or does not have exactly three non-empty pieces
	 */
	static @Nullable String canonical(String token) {
		int length = token.length();
		if (length > MAX_LENGTH) {
			return null;
		}
		int first = token.indexOf('.');
		int second = (first > 0) ? token.indexOf('.', first + 1) : -1;
		if (second > first + 1 && second < length - 1 && token.indexOf('.', second + 1) < 0) {
			return token;
		}
		int[] bounds = pieces(token);
		return (bounds != null) ? join(token, bounds) : null;
	}

	static ParsedToken parse(String token) {
		// Refused before any other work: see MAX_LENGTH.
		if (token.length() > MAX_LENGTH) {
			return new ParsedToken(token, JwtFailure.BAD_FORMAT);
		}
		int[] bounds = pieces(token);
		if (bounds == null) {
			return new ParsedToken(token, JwtFailure.BAD_FORMAT);
		}
		String value = join(token, bounds);
		int payloadStart = bounds[1] - bounds[0] + 1;
		int signatureStart = payloadStart + bounds[3] - bounds[2] + 1;
		byte[] headerJson = decode(value, 0, payloadStart - 1);
		if (headerJson == null) {
			return new ParsedToken(value, JwtFailure.HEADER_BAD_BASE64);
		}
		TokenJson.Segment headerSegment = TokenJson.parseSegment(headerJson);
		if (headerSegment == null) {
			return new ParsedToken(value, JwtFailure.HEADER_BAD_JSON);
		}
		Map<String, @Nullable Object> header = headerSegment.members();
		if (!(header.get("alg") instanceof String algorithm)) {
			return new ParsedToken(value, JwtFailure.HEADER_BAD_ALG);
		}
		if (!SUPPORTED_ALGORITHMS.contains(algorithm)) {
			return new ParsedToken(value, JwtFailure.HEADER_ALG_NOT_SUPPORTED);
		}
		Object kid = header.get("kid");
		if (header.containsKey("kid") && !(kid instanceof String)) {
			return new ParsedToken(value, JwtFailure.HEADER_BAD_KID);
		}
		byte[] payloadJson = decode(value, payloadStart, signatureStart - 1);
		if (payloadJson == null) {
			return new ParsedToken(value, JwtFailure.PAYLOAD_BAD_BASE64);
		}
		TokenJson.Segment claimsSegment = TokenJson.parseSegment(payloadJson);
		if (claimsSegment == null) {
			return new ParsedToken(value, JwtFailure.PAYLOAD_BAD_JSON);
		}
		Map<String, @Nullable Object> claims = claimsSegment.members();
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
			return new ParsedToken(value, failure);
		}
		List<String> audiences = claims.containsKey("aud") ? audiences(claims.get("aud")) : List.of();
		if (audiences == null) {
			return new ParsedToken(value, JwtFailure.AUD_NOT_STRING_LIST);
		}
		byte[] signature = decode(value, signatureStart, value.length());
		if (signature == null) {
			return new ParsedToken(value, JwtFailure.SIGNATURE_BAD_BASE64);
		}
		return new ParsedToken(value, null, payloadStart, signatureStart, signature, algorithm, (String) kid, header,
				claims, seconds(claims.get("nbf")), seconds(claims.get("exp")), audiences,
				headerSegment.retainedBytes() + claimsSegment.retainedBytes());
	}

	/**
	 * Splits on '.' ignoring empty pieces (absl::SkipEmpty): "a..b.c" is three pieces
	 * (§2.6).
	 * @return the start and end of each of the three pieces, or {@code null} unless there
	 * are exactly three
	 */
	private static int @Nullable [] pieces(String token) {
		int[] bounds = new int[6];
		int count = 0;
		int start = 0;
		int length = token.length();
		for (int i = 0; i <= length; i++) {
			if (i == length || token.charAt(i) == '.') {
				if (i > start) {
					if (count == 3) {
						return null;
					}
					bounds[2 * count] = start;
					bounds[2 * count + 1] = i;
					count++;
				}
				start = i + 1;
			}
		}
		return (count == 3) ? bounds : null;
	}

	/** The pieces joined by single dots: the token itself when it has no empty piece. */
	private static String join(String token, int[] bounds) {
		if (bounds[0] == 0 && bounds[2] == bounds[1] + 1 && bounds[4] == bounds[3] + 1 && bounds[5] == token.length()) {
			return token;
		}
		return token.substring(bounds[0], bounds[1]) + '.' + token.substring(bounds[2], bounds[3]) + '.'
				+ token.substring(bounds[4], bounds[5]);
	}

	/**
	 * Returns the bytes the signature covers: the header and payload pieces joined by a
	 * dot.
	 * @return the signing input
	 */
	byte[] signingInput() {
		return this.value.substring(0, this.signatureStart - 1).getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Returns the payload piece as it is in the token (base64url).
	 * @return the payload piece
	 */
	String payloadSegment() {
		return this.value.substring(this.payloadStart, this.signatureStart - 1);
	}

	/**
	 * Returns the outcome last built for this token when it was the request's only token,
	 * for the same rule and the same header removed: a verified token serves many
	 * requests from the cache, and that outcome (principal, claims as matched, headers to
	 * remove and add) is the same for each.
	 * @param rule the rule that verified the token
	 * @param removedHeader the header the token came in and that is removed, or
	 * {@code null}
	 * @return the outcome, or {@code null}
	 */
	@Nullable JwtOutcome rememberedOutcome(Object rule, @Nullable String removedHeader) {
		RememberedOutcome remembered = this.outcome;
		if (remembered != null && remembered.rule == rule && Objects.equals(remembered.removedHeader, removedHeader)) {
			return remembered.outcome;
		}
		return null;
	}

	/**
	 * Remembers the outcome built for this token as a request's only token.
	 * @param rule the rule that verified the token
	 * @param removedHeader the header removed, or {@code null}
	 * @param outcome the outcome, immutable
	 */
	void rememberOutcome(Object rule, @Nullable String removedHeader, JwtOutcome outcome) {
		this.outcome = new RememberedOutcome(rule, removedHeader, outcome);
	}

	/**
	 * Returns an estimate of the heap of the remembered outcome, for the verified-token
	 * cache's byte bound.
	 * @return the estimate in bytes, 0 when none is remembered
	 */
	int rememberedBytes() {
		RememberedOutcome remembered = this.outcome;
		return (remembered != null) ? remembered.outcome.retainedBytes() : 0;
	}

	private record RememberedOutcome(Object rule, @Nullable String removedHeader, JwtOutcome outcome) {
	}

	/**
	 * Returns the token as Spring Security's {@link Jwt}, with Spring's standard claim
	 * conversions (times as {@code Instant}, {@code aud} as a list), built once.
	 * @return the Spring token, or {@code null} when Spring cannot represent it (an empty
	 * payload)
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
			// e.g. an exp beyond Instant's range: valid for Envoy, not representable for
			// Spring.
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
		// Fractions are truncated (§2.6); beyond Long.MAX_VALUE is "never" for our
		// comparisons.
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

	private static byte @Nullable [] decode(String token, int start, int end) {
		try {
			// Accepts padded and unpadded base64url, refuses '+' and '/' (absl
			// WebSafeBase64Unescape).
			return Base64.getUrlDecoder().decode(token.substring(start, end));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
