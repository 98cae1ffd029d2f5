package io.github.istiosecurity.internal.authz.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

import io.github.istiosecurity.authz.RequestAttributes;

/**
 * The rules of a {@link RuleSet} keyed on one attribute ({@link ExactValueKey}), by exact
 * value: the candidates for a request are the rules listed under the request's own
 * value(s). A request without the attribute has no candidates here, as none of these
 * rules can match it. Lookups allocate nothing. The maps are {@link HashMap}s, never
 * modified after construction: {@code Map.copyOf} probes linearly, and values such as
 * {@code user1} ... {@code user999} hash to neighbouring slots, so a miss would walk a
 * long run of them.
 */
abstract sealed class ValueIndex permits ValueIndex.OfString, ValueIndex.OfClaim, ValueIndex.OfRequestPrincipal {

	/**
	 * Tests the candidates for the request below {@code best}.
	 * @param request the request
	 * @param best the lowest matching rule found so far, or a bound
	 * @param rules the rule set, to test candidates with
	 * @return the new best
	 */
	abstract int firstMatch(RequestAttributes request, int best, RuleSet rules);

	/**
	 * Builds the index of one attribute.
	 * @param attribute the attribute
	 * @param rulesByValue ascending rule indexes per value
	 * @return the index
	 */
	static ValueIndex of(ExactValueKey.Attribute attribute, Map<List<String>, int[]> rulesByValue) {
		if (attribute instanceof ExactValueKey.StringValued string) {
			return new OfString(string.attribute(), firstParts(rulesByValue));
		}
		if (attribute instanceof ExactValueKey.Claim claim) {
			return new OfClaim(claim.path().toArray(String[]::new), firstParts(rulesByValue));
		}
		Map<String, Map<String, int[]>> byIssuer = new HashMap<>();
		rulesByValue.forEach((value, rules) -> byIssuer.computeIfAbsent(value.get(0), (key) -> new HashMap<>())
			.put(value.get(1), rules));
		return new OfRequestPrincipal(byIssuer);
	}

	private static Map<String, int[]> firstParts(Map<List<String>, int[]> rulesByValue) {
		Map<String, int[]> byValue = new HashMap<>();
		rulesByValue.forEach((value, rules) -> byValue.put(value.get(0), rules));
		return byValue;
	}

	/** A header or the method: its one value, compared with case. */
	static final class OfString extends ValueIndex {

		private final StringAttribute attribute;

		private final Map<String, int[]> byValue;

		OfString(StringAttribute attribute, Map<String, int[]> byValue) {
			this.attribute = attribute;
			this.byValue = byValue;
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			String value = this.attribute.of(request);
			if (value == null) {
				return best;
			}
			int[] candidates = this.byValue.get(value);
			return (candidates != null) ? rules.scan(candidates, best, request) : best;
		}

	}

	/** A claim: a string, or each string of a list (§3.11). */
	static final class OfClaim extends ValueIndex {

		private final String[] path;

		private final Map<String, int[]> byValue;

		OfClaim(String[] path, Map<String, int[]> byValue) {
			this.path = path;
			this.byValue = byValue;
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			Object claim = ClaimMatcher.claim(request.jwtClaims(), this.path);
			if (claim instanceof String string) {
				return scan(string, best, request, rules);
			}
			if (claim instanceof List<?> list) {
				if (list instanceof RandomAccess) {
					for (int i = 0; i < list.size(); i++) {
						if (list.get(i) instanceof String string) {
							best = scan(string, best, request, rules);
						}
					}
				}
				else {
					for (Object element : list) {
						if (element instanceof String string) {
							best = scan(string, best, request, rules);
						}
					}
				}
			}
			return best;
		}

		private int scan(String value, int best, RequestAttributes request, RuleSet rules) {
			int[] candidates = this.byValue.get(value);
			return (candidates != null) ? rules.scan(candidates, best, request) : best;
		}

	}

	/** The request principal: the {@code iss} and {@code sub} claims, both strings. */
	static final class OfRequestPrincipal extends ValueIndex {

		private final Map<String, Map<String, int[]>> byIssuerAndSubject;

		OfRequestPrincipal(Map<String, Map<String, int[]>> byIssuerAndSubject) {
			this.byIssuerAndSubject = byIssuerAndSubject;
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			Map<String, Object> claims = request.jwtClaims();
			if (claims == null || !(claims.get("iss") instanceof String issuer)
					|| !(claims.get("sub") instanceof String subject)) {
				return best;
			}
			Map<String, int[]> bySubject = this.byIssuerAndSubject.get(issuer);
			int[] candidates = (bySubject != null) ? bySubject.get(subject) : null;
			return (candidates != null) ? rules.scan(candidates, best, request) : best;
		}

	}

}
