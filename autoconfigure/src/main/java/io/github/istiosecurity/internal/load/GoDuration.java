package io.github.istiosecurity.internal.load;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * Parses durations the way Go's {@code time.ParseDuration} does ({@code 5s},
 * {@code 1500us}, {@code 1m30s}, {@code 1.5h}), which is how Kubernetes' CEL
 * {@code duration()} and Istio read {@code jwtRules[].timeout} (§2.1), and a duration of
 * the mesh configuration ({@code extensionProviders[].timeout}, §3.18).
 */
public final class GoDuration {

	private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

	private GoDuration() {
	}

	/**
	 * Parses a duration.
	 * @param text the text
	 * @return the duration in nanoseconds, or {@code null} when Go would not parse it
	 */
	public static @Nullable Long parseNanos(String text) {
		int i = 0;
		boolean negative = false;
		if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
			negative = text.charAt(i) == '-';
			i++;
		}
		if (text.substring(i).equals("0")) {
			return 0L;
		}
		if (i == text.length()) {
			return null;
		}
		BigDecimal total = BigDecimal.ZERO;
		while (i < text.length()) {
			int start = i;
			while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
				i++;
			}
			String number = text.substring(start, i);
			if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
				return null;
			}
			int unitStart = i;
			while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
				i++;
			}
			long unit = unitNanos(text.substring(unitStart, i));
			if (unit == 0) {
				return null;
			}
			String normalized = number.startsWith(".") ? "0" + number : number;
			total = total.add(new BigDecimal(normalized).multiply(BigDecimal.valueOf(unit)));
			if (total.compareTo(MAX) > 0) {
				return null;
			}
		}
		long nanos = total.longValue();
		return negative ? -nanos : nanos;
	}

	private static long unitNanos(String unit) {
		return switch (unit) {
			case "ns" -> 1L;
			case "us", "\u00b5s", "\u03bcs" -> 1_000L;
			case "ms" -> 1_000_000L;
			case "s" -> 1_000_000_000L;
			case "m" -> 60_000_000_000L;
			case "h" -> 3_600_000_000_000L;
			default -> 0L;
		};
	}

}
