package io.github.istiosecurity.internal.jwt;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The header value Envoy writes for an {@code outputClaimToHeaders} entry
 * ({@code addJWTClaimToHeader}, §2.9): string as is; boolean {@code true}/{@code false};
 * a non-negative whole number as an integer, any other number like C's {@code %f}; an
 * object or array as standard base64 of its JSON (recent Envoy, D4); nothing for a
 * missing claim, an empty string or {@code null}.
 */
final class ClaimHeaderValue {

	private ClaimHeaderValue() {
	}

	/**
	 * Returns the header value of a claim.
	 * @param claims the token's payload
	 * @param claim the claim name; a {@code .} means nesting
	 * @return the value, or {@code null} for no header
	 */
	static @Nullable String of(Map<String, @Nullable Object> claims, String claim) {
		return format(lookup(claims, claim));
	}

	private static @Nullable Object lookup(Map<String, @Nullable Object> claims, String claim) {
		Object current = claims;
		int start = 0;
		while (true) {
			int dot = claim.indexOf('.', start);
			String name = (dot < 0) ? claim.substring(start) : claim.substring(start, dot);
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(name);
			if (dot < 0) {
				return current;
			}
			start = dot + 1;
		}
	}

	static @Nullable String format(@Nullable Object value) {
		if (value instanceof String string) {
			return string.isEmpty() ? null : string;
		}
		if (value instanceof Boolean bool) {
			return bool ? "true" : "false";
		}
		if (value instanceof Long whole) {
			return (whole >= 0) ? Long.toString(whole) : sixDecimals(new BigDecimal(whole));
		}
		if (value instanceof Number number) {
			double real = number.doubleValue();
			BigDecimal exact = new BigDecimal(real);
			if (real >= 0 && real == Math.rint(real)) {
				return exact.toBigInteger().toString();
			}
			return sixDecimals(exact);
		}
		if (value instanceof Map<?, ?> || value instanceof List<?>) {
			return Base64.getEncoder().encodeToString(TokenJson.write(value).getBytes(StandardCharsets.UTF_8));
		}
		return null;
	}

	/**
	 * {@code std::to_string(double)}: {@code %f}, the exact binary value rounded to six
	 * decimals.
	 */
	private static String sixDecimals(BigDecimal value) {
		return value.setScale(6, RoundingMode.HALF_EVEN).toPlainString();
	}

}
