package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.istiosecurity.internal.authz.match.IpBlock;
import io.github.istiosecurity.internal.authz.match.StringMatcher;
import org.jspecify.annotations.Nullable;

/**
 * What a rule needs of one request attribute, in a form {@link ValueIndex} can look up:
 * if the rule matches a request, that attribute of the request has one of
 * {@link #values()}; so {@link RuleSet} needs to test the rule only for requests that do.
 * <p>
 * Keys are read off the compiled matcher itself, never off the policy, so they cannot
 * disagree with what the rule tests: a rule ANDs its {@code to}, {@code from} and
 * {@code when} parts (§3.5), so any mandatory part can serve; an OR (several {@code from}
 * or {@code to} entries) serves when each alternative has such a part on the same
 * attribute, with the union of their values. A negated part ({@code notValues},
 * {@code notRequestPrincipals}, {@code notIpBlocks}) never serves, since it also matches
 * a request without the attribute (§3.10).
 *
 * @param attribute the attribute
 * @param values what the attribute must be, of the type the attribute says
 */
record IndexKey(Attribute attribute, Set<Object> values) {

	/** An attribute a rule can be looked up by. */
	sealed interface Attribute {

	}

	/**
	 * A string attribute (a header, the method) with one of some exact values, compared
	 * with case (§3.13); the values are {@code String}s.
	 *
	 * @param attribute the attribute; equal for the same header
	 */
	record StringValued(StringAttribute attribute) implements Attribute {

	}

	/**
	 * A claim at a path that is one of some strings or a list holding one (§3.11); the
	 * values are {@code String}s.
	 *
	 * @param path the claim path
	 */
	record Claim(List<String> path) implements Attribute {

	}

	/**
	 * The request principal: {@code iss} and {@code sub} claims (§3.11); the values are
	 * two-element {@code List}s.
	 */
	record RequestPrincipal() implements Attribute {

	}

	/**
	 * The host ({@code hosts}, §3.8) up to its first {@code :}, case-folded as
	 * {@link String#equalsIgnoreCase} compares: {@code a.example.com} and
	 * {@code a.example.com:*} both need the host name {@code a.example.com}. The values
	 * are ASCII {@code String}s in lower case.
	 */
	record HostName() implements Attribute {

	}

	/**
	 * The local port ({@code ports}, {@code destination.port}); the values are
	 * {@code Integer}s.
	 */
	record Port() implements Attribute {

	}

	/**
	 * An address ({@code ipBlocks}, {@code remoteIpBlocks}, {@code source.ip},
	 * {@code remote.ip}, {@code destination.ip}) in one of some blocks; the values are
	 * {@link IpBlock}s.
	 *
	 * @param attribute which address
	 */
	record Address(IpAttributeMatcher.Attribute attribute) implements Attribute {

	}

	/**
	 * The normalized path ending with one of some literals ({@code paths: ["*.csv"]}; an
	 * exact path is its own suffix); the values are {@code String}s.
	 */
	record PathSuffix() implements Attribute {

	}

	/**
	 * A header or the SNI being there at all, whatever the value: every value test on an
	 * absent attribute fails (§3.10); the one value is {@link Boolean#TRUE}.
	 *
	 * @param attribute the attribute
	 */
	record Present(StringAttribute attribute) implements Attribute {

	}

	/**
	 * Returns the most selective key of a rule: exact values (a request principal, a
	 * header, a claim, a host name) before address blocks, then ports and path suffixes,
	 * then the presence of a header, and the method only when there is no other (a
	 * handful of methods spread few rules apart); within a kind, the one with the fewest
	 * values.
	 * @param matcher the rule's matcher
	 * @return the key, or {@code null} when the rule has none
	 */
	static @Nullable IndexKey of(RequestMatcher matcher) {
		IndexKey best = null;
		for (IndexKey key : mandatoryKeys(matcher)) {
			if (best == null || key.moreSelectiveThan(best)) {
				best = key;
			}
		}
		return best;
	}

	private boolean moreSelectiveThan(IndexKey other) {
		if (rank() != other.rank()) {
			return rank() < other.rank();
		}
		return this.values.size() < other.values.size();
	}

	private int rank() {
		if (this.attribute instanceof StringValued string) {
			return (string.attribute() == StringAttribute.METHOD) ? 4 : 0;
		}
		if (this.attribute instanceof Address) {
			return 1;
		}
		if (this.attribute instanceof Port || this.attribute instanceof PathSuffix) {
			return 2;
		}
		return (this.attribute instanceof Present) ? 3 : 0;
	}

	/** Every key that holds whenever the matcher matches. */
	private static List<IndexKey> mandatoryKeys(RequestMatcher matcher) {
		if (matcher instanceof RequestMatcher.AllOf all) {
			List<IndexKey> keys = new ArrayList<>();
			for (RequestMatcher part : all.matchers()) {
				keys.addAll(mandatoryKeys(part));
			}
			return keys;
		}
		if (matcher instanceof RequestMatcher.AnyOf any) {
			return commonKeys(any.matchers());
		}
		return leafKeys(matcher);
	}

	/**
	 * The keys on attributes that every alternative needs, each with the union of the
	 * alternatives' values: whichever alternative matches, its values are among them.
	 */
	private static List<IndexKey> commonKeys(RequestMatcher[] alternatives) {
		List<List<IndexKey>> perAlternative = new ArrayList<>();
		for (RequestMatcher alternative : alternatives) {
			perAlternative.add(mandatoryKeys(alternative));
		}
		List<IndexKey> common = new ArrayList<>();
		if (perAlternative.isEmpty()) {
			return common;
		}
		Set<Attribute> attributes = new LinkedHashSet<>();
		perAlternative.get(0).forEach((key) -> attributes.add(key.attribute()));
		for (Attribute attribute : attributes) {
			Set<Object> union = new LinkedHashSet<>();
			boolean everyAlternative = true;
			for (List<IndexKey> keys : perAlternative) {
				IndexKey fewest = null;
				for (IndexKey key : keys) {
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
				common.add(new IndexKey(attribute, union));
			}
		}
		return common;
	}

	private static List<IndexKey> leafKeys(RequestMatcher matcher) {
		if (matcher instanceof StringAttributeMatcher string) {
			return stringKeys(string.attribute(), string.values());
		}
		if (matcher instanceof ClaimMatcher claim) {
			Set<Object> values = exactValues(claim.values());
			return (values != null) ? List.of(new IndexKey(new Claim(List.of(claim.path())), values)) : List.of();
		}
		if (matcher instanceof RequestPrincipalMatcher principal) {
			IndexKey key = principalKey(principal);
			return (key != null) ? List.of(key) : List.of();
		}
		if (matcher instanceof PortMatcher ports) {
			Set<Object> values = new LinkedHashSet<>();
			for (int port : ports.ports()) {
				values.add(port);
			}
			return values.isEmpty() ? List.of() : List.of(new IndexKey(new Port(), values));
		}
		if (matcher instanceof IpAttributeMatcher ips && ips.blocks().length > 0) {
			return List.of(new IndexKey(new Address(ips.attribute()), new LinkedHashSet<>(List.of(ips.blocks()))));
		}
		return List.of();
	}

	private static List<IndexKey> stringKeys(StringAttribute attribute, StringMatcher[] matchers) {
		List<IndexKey> keys = new ArrayList<>(2);
		Set<Object> exact = exactValues(matchers);
		if (exact != null) {
			keys.add(new IndexKey(new StringValued(attribute), exact));
		}
		else if (attribute == StringAttribute.HOST) {
			addIfAny(keys, new HostName(), hostNames(matchers));
		}
		else if (attribute == StringAttribute.PATH) {
			addIfAny(keys, new PathSuffix(), pathSuffixes(matchers));
		}
		if (attribute instanceof StringAttribute.Header || attribute == StringAttribute.SNI) {
			keys.add(new IndexKey(new Present(attribute), Set.of(Boolean.TRUE)));
		}
		return keys;
	}

	private static void addIfAny(List<IndexKey> keys, Attribute attribute, @Nullable Set<Object> values) {
		if (values != null) {
			keys.add(new IndexKey(attribute, values));
		}
	}

	private static @Nullable IndexKey principalKey(RequestPrincipalMatcher principal) {
		StringMatcher[] issuers = principal.issuers();
		StringMatcher[] subjects = principal.subjects();
		Set<Object> values = new LinkedHashSet<>();
		for (int i = 0; i < issuers.length; i++) {
			if (!(issuers[i] instanceof StringMatcher.Exact issuer)
					|| !(subjects[i] instanceof StringMatcher.Exact subject)) {
				return null;
			}
			values.add(List.of(issuer.text(), subject.text()));
		}
		return values.isEmpty() ? null : new IndexKey(new RequestPrincipal(), values);
	}

	/** The values if every one is exact, else {@code null}. */
	private static @Nullable Set<Object> exactValues(StringMatcher[] matchers) {
		Set<Object> values = new LinkedHashSet<>();
		for (StringMatcher matcher : matchers) {
			if (!(matcher instanceof StringMatcher.Exact exact)) {
				return null;
			}
			values.add(exact.text());
		}
		return values.isEmpty() ? null : values;
	}

	/**
	 * The host names every value needs, if each is an exact host or a prefix reaching a
	 * {@code :} (any port), in ASCII; else {@code null}.
	 */
	private static @Nullable Set<Object> hostNames(StringMatcher[] matchers) {
		Set<Object> names = new LinkedHashSet<>();
		for (StringMatcher matcher : matchers) {
			String text;
			if (matcher instanceof StringMatcher.ExactIgnoringCase exact) {
				text = exact.text();
			}
			else if (matcher instanceof StringMatcher.PrefixIgnoringCase prefix && prefix.text().indexOf(':') >= 0) {
				text = prefix.text();
			}
			else {
				return null;
			}
			String name = hostName(text);
			if (name == null) {
				return null;
			}
			names.add(name);
		}
		return names.isEmpty() ? null : names;
	}

	/** The text up to its first {@code :}, lower case, if ASCII; else {@code null}. */
	private static @Nullable String hostName(String text) {
		int colon = text.indexOf(':');
		int end = (colon >= 0) ? colon : text.length();
		char[] name = new char[end];
		for (int i = 0; i < end; i++) {
			char c = text.charAt(i);
			if (c >= 128) {
				return null;
			}
			name[i] = ValueIndex.fold(c);
		}
		return new String(name);
	}

	/**
	 * The literals every matching path ends with, if there are such; else {@code null}.
	 */
	private static @Nullable Set<Object> pathSuffixes(StringMatcher[] matchers) {
		Set<Object> suffixes = new LinkedHashSet<>();
		for (StringMatcher matcher : matchers) {
			if (matcher instanceof StringMatcher.Suffix suffix) {
				suffixes.add(suffix.text());
			}
			else if (matcher instanceof StringMatcher.Exact exact) {
				suffixes.add(exact.text());
			}
			else {
				return null;
			}
		}
		return suffixes.isEmpty() ? null : suffixes;
	}

	@Override
	public String toString() {
		return this.attribute + " in " + Arrays.toString(this.values.toArray());
	}

}
