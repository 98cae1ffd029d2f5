package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.istiosecurity.internal.authz.match.StringMatcher;
import org.jspecify.annotations.Nullable;

/**
 * What a rule needs of one request attribute: one of some exact values. If the rule
 * matches a request, that attribute of the request has one of {@link #values()}; so
 * {@link RuleSet} needs to test the rule only for requests that do.
 * <p>
 * Keys are read off the compiled matcher itself, never off the policy, so they cannot
 * disagree with what the rule tests: a rule ANDs its {@code to}, {@code from} and
 * {@code when} parts (§3.5), so any mandatory part with only exact values can serve; an
 * OR (several {@code from} or {@code to} entries) serves when each alternative has such a
 * part on the same attribute, with the union of their values. A negated part
 * ({@code notValues}, {@code notRequestPrincipals}) never serves, since it also matches a
 * request without the attribute (§3.10), and neither does a part with any wildcard or
 * presence value.
 *
 * @param attribute the attribute
 * @param values the exact values: one string each for a header or claim, the {@code iss}
 * and {@code sub} for a request principal
 */
record ExactValueKey(Attribute attribute, Set<List<String>> values) {

	/** An attribute that can be looked up by exact value. */
	sealed interface Attribute {

	}

	/**
	 * A string attribute (a header, or the method), compared with case (§3.13).
	 *
	 * @param attribute the attribute; equal for the same header
	 */
	record StringValued(StringAttribute attribute) implements Attribute {

	}

	/**
	 * A claim at a path, matching when it is that string or a list holding it (§3.11).
	 *
	 * @param path the claim path
	 */
	record Claim(List<String> path) implements Attribute {

	}

	/** The request principal: the {@code iss} and {@code sub} claims (§3.11). */
	record RequestPrincipal() implements Attribute {

	}

	/**
	 * Returns the most selective key of a rule: one on the method only when there is no
	 * other (a handful of methods spread few rules apart), and the one with the fewest
	 * values.
	 * @param matcher the rule's matcher
	 * @return the key, or {@code null} when the rule has none
	 */
	static @Nullable ExactValueKey of(RequestMatcher matcher) {
		ExactValueKey best = null;
		for (ExactValueKey key : mandatoryKeys(matcher)) {
			if (best == null || key.moreSelectiveThan(best)) {
				best = key;
			}
		}
		return best;
	}

	private boolean moreSelectiveThan(ExactValueKey other) {
		if (onMethod() != other.onMethod()) {
			return other.onMethod();
		}
		return this.values.size() < other.values.size();
	}

	private boolean onMethod() {
		return this.attribute instanceof StringValued string && string.attribute() == StringAttribute.METHOD;
	}

	/** Every key that holds whenever the matcher matches. */
	private static List<ExactValueKey> mandatoryKeys(RequestMatcher matcher) {
		if (matcher instanceof RequestMatcher.AllOf all) {
			List<ExactValueKey> keys = new ArrayList<>();
			for (RequestMatcher part : all.matchers()) {
				keys.addAll(mandatoryKeys(part));
			}
			return keys;
		}
		if (matcher instanceof RequestMatcher.AnyOf any) {
			return commonKeys(any.matchers());
		}
		ExactValueKey key = leafKey(matcher);
		return (key != null) ? List.of(key) : List.of();
	}

	/**
	 * The keys on attributes that every alternative needs, each with the union of the
	 * alternatives' values: whichever alternative matches, its values are among them.
	 */
	private static List<ExactValueKey> commonKeys(RequestMatcher[] alternatives) {
		List<List<ExactValueKey>> perAlternative = new ArrayList<>();
		for (RequestMatcher alternative : alternatives) {
			perAlternative.add(mandatoryKeys(alternative));
		}
		List<ExactValueKey> common = new ArrayList<>();
		if (perAlternative.isEmpty()) {
			return common;
		}
		Set<Attribute> attributes = new LinkedHashSet<>();
		perAlternative.get(0).forEach((key) -> attributes.add(key.attribute()));
		for (Attribute attribute : attributes) {
			Set<List<String>> union = new LinkedHashSet<>();
			boolean everyAlternative = true;
			for (List<ExactValueKey> keys : perAlternative) {
				ExactValueKey fewest = null;
				for (ExactValueKey key : keys) {
					if (key.attribute().equals(attribute)
							&& (fewest == null || key.values().size() < fewest.values().size())) {
						fewest = key;
					}
				}
				if (fewest == null) {
					everyAlternative = false;
					break;
				}
				union.addAll(fewest.values());
			}
			if (everyAlternative) {
				common.add(new ExactValueKey(attribute, union));
			}
		}
		return common;
	}

	private static @Nullable ExactValueKey leafKey(RequestMatcher matcher) {
		if (matcher instanceof StringAttributeMatcher string) {
			Set<List<String>> values = exactValues(string.values());
			return (values != null) ? new ExactValueKey(new StringValued(string.attribute()), values) : null;
		}
		if (matcher instanceof ClaimMatcher claim) {
			Set<List<String>> values = exactValues(claim.values());
			return (values != null) ? new ExactValueKey(new Claim(List.of(claim.path())), values) : null;
		}
		if (matcher instanceof RequestPrincipalMatcher principal) {
			StringMatcher[] issuers = principal.issuers();
			StringMatcher[] subjects = principal.subjects();
			Set<List<String>> values = new LinkedHashSet<>();
			for (int i = 0; i < issuers.length; i++) {
				if (!(issuers[i] instanceof StringMatcher.Exact issuer)
						|| !(subjects[i] instanceof StringMatcher.Exact subject)) {
					return null;
				}
				values.add(List.of(issuer.text(), subject.text()));
			}
			return values.isEmpty() ? null : new ExactValueKey(new RequestPrincipal(), values);
		}
		return null;
	}

	/** The values if every one is exact, else {@code null}. */
	private static @Nullable Set<List<String>> exactValues(StringMatcher[] matchers) {
		Set<List<String>> values = new LinkedHashSet<>();
		for (StringMatcher matcher : matchers) {
			if (!(matcher instanceof StringMatcher.Exact exact)) {
				return null;
			}
			values.add(List.of(exact.text()));
		}
		return values.isEmpty() ? null : values;
	}

	@Override
	public String toString() {
		return this.attribute + " in " + Arrays.toString(this.values.toArray());
	}

}
