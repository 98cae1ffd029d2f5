package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.match.StringMatcher;
import org.jspecify.annotations.Nullable;

/**
 * {@code requestPrincipals} / {@code request.auth.principal}: each value is split at its
 * last {@code /} and the parts are matched against the {@code iss} and {@code sub}
 * claims, both of which must be strings (§3.11).
 */
public final class RequestPrincipalMatcher implements RequestMatcher {

	private final StringMatcher[] issuers;

	private final StringMatcher[] subjects;

	private final String[] values;

	/**
	 * The exact {@code iss/sub} values by issuer, once there are many (Istio's own JWT
	 * benchmark lists a thousand); {@code null} when they are few.
	 */
	private final @Nullable Map<String, Set<String>> exactSubjectsByIssuer;

	/** The values not in {@link #exactSubjectsByIssuer}, as indexes. */
	private final int[] scanned;

	/**
	 * Compiles the values.
	 * @param values the request principal values
	 */
	public RequestPrincipalMatcher(String... values) {
		this.values = values.clone();
		this.issuers = new StringMatcher[values.length];
		this.subjects = new StringMatcher[values.length];
		for (int i = 0; i < values.length; i++) {
			String value = values[i];
			if (value.equals("*")) {
				this.issuers[i] = StringMatcher.NON_EMPTY;
				this.subjects[i] = StringMatcher.NON_EMPTY;
				continue;
			}
			int slash = value.lastIndexOf('/');
			if (slash >= 0) {
				this.issuers[i] = StringMatcher.of(value.substring(0, slash), StringMatcher.NON_EMPTY);
				this.subjects[i] = StringMatcher.of(value.substring(slash + 1), StringMatcher.NON_EMPTY);
			}
			else if (value.endsWith("*")) {
				// "<x>*": the prefix applies to the issuer, any subject
				this.issuers[i] = StringMatcher.of(value, StringMatcher.NON_EMPTY);
				this.subjects[i] = StringMatcher.NON_EMPTY;
			}
			else if (value.startsWith("*")) {
				// "*<x>": the suffix applies to the subject, any issuer
				this.issuers[i] = StringMatcher.NON_EMPTY;
				this.subjects[i] = StringMatcher.of(value, StringMatcher.NON_EMPTY);
			}
			else {
				this.issuers[i] = new StringMatcher.Exact(value);
				this.subjects[i] = new StringMatcher.Exact("");
			}
		}
		Map<String, Set<String>> exact = new HashMap<>();
		List<Integer> others = new ArrayList<>();
		int exactCount = 0;
		for (int i = 0; i < values.length; i++) {
			if (this.issuers[i] instanceof StringMatcher.Exact issuer
					&& this.subjects[i] instanceof StringMatcher.Exact subject) {
				exact.computeIfAbsent(issuer.text(), (key) -> new HashSet<>()).add(subject.text());
				exactCount++;
			}
			else {
				others.add(i);
			}
		}
		boolean hashed = exactCount >= ValueAlternatives.HASHED_FROM;
		if (hashed) {
			// HashMap and HashSet, never modified from here on; not Map.copyOf: see
			// ValueIndex
			this.exactSubjectsByIssuer = exact;
			this.scanned = others.stream().mapToInt(Integer::intValue).toArray();
		}
		else {
			this.exactSubjectsByIssuer = null;
			this.scanned = new int[values.length];
			for (int i = 0; i < values.length; i++) {
				this.scanned[i] = i;
			}
		}
	}

	@Override
	public boolean matches(RequestAttributes request) {
		Map<String, Object> claims = request.jwtClaims();
		if (claims == null || !(claims.get("iss") instanceof String issuer)
				|| !(claims.get("sub") instanceof String subject)) {
			return false;
		}
		if (this.exactSubjectsByIssuer != null) {
			Set<String> subjects = this.exactSubjectsByIssuer.get(issuer);
			if (subjects != null && subjects.contains(subject)) {
				return true;
			}
		}
		for (int i : this.scanned) {
			if (this.issuers[i].matches(issuer) && this.subjects[i].matches(subject)) {
				return true;
			}
		}
		return false;
	}

	/** The issuer part of each value, in policy order; not to be modified. */
	StringMatcher[] issuers() {
		return this.issuers;
	}

	/** The subject part of each value, in policy order; not to be modified. */
	StringMatcher[] subjects() {
		return this.subjects;
	}

	@Override
	public String toString() {
		return "requestPrincipal in " + String.join(", ", this.values);
	}

}
