package io.github.istiosecurity.internal.authz.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.match.StringMatcher;
import org.jspecify.annotations.Nullable;

/**
 * True when a JWT claim (one key per nesting level) is a string matching one of the
 * values, or a list with such a string (§3.11). Numbers, booleans and objects never
 * match; no token never matches.
 */
public final class ClaimMatcher implements RequestMatcher {

	private final String[] path;

	private final ValueAlternatives values;

	/**
	 * Creates the matcher.
	 * @param path the claim path, e.g. {@code ["realm_access", "roles"]}
	 * @param values the alternatives
	 */
	public ClaimMatcher(List<String> path, StringMatcher... values) {
		this.path = path.toArray(String[]::new);
		this.values = new ValueAlternatives(values);
	}

	@Override
	public boolean matches(RequestAttributes request) {
		Object claim = claim(request.jwtClaims(), this.path);
		if (claim instanceof String string) {
			return this.values.matches(string);
		}
		if (claim instanceof List<?> list) {
			for (Object element : list) {
				if (element instanceof String string && this.values.matches(string)) {
					return true;
				}
			}
		}
		return false;
	}

	/** The claim path; not to be modified. */
	String[] path() {
		return this.path;
	}

	/** The values in policy order; not to be modified. */
	StringMatcher[] values() {
		return this.values.values();
	}

	/**
	 * Looks up a claim by path.
	 * @param claims the claims, or {@code null}
	 * @param path one key per level
	 * @return the claim, or {@code null} when absent
	 */
	static @Nullable Object claim(@Nullable Map<String, Object> claims, String[] path) {
		Object current = claims;
		for (String key : path) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(key);
		}
		return current;
	}

	@Override
	public String toString() {
		return "claims" + Arrays.toString(this.path) + " in " + Arrays.toString(this.values.values());
	}

}
