package io.github.istiosecurity.internal.authz.engine;

import java.util.Map;

import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.match.StringMatcher;

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
	}

	@Override
	public boolean matches(RequestAttributes request) {
		Map<String, Object> claims = request.jwtClaims();
		if (claims == null || !(claims.get("iss") instanceof String issuer)
				|| !(claims.get("sub") instanceof String subject)) {
			return false;
		}
		for (int i = 0; i < this.issuers.length; i++) {
			if (this.issuers[i].matches(issuer) && this.subjects[i].matches(subject)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "requestPrincipal in " + String.join(", ", this.values);
	}

}
