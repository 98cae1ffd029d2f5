package io.github.istiosecurity.internal.authz.engine;

import java.util.Arrays;

import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.match.StringMatcher;

/**
 * True when a string attribute is present and matches one of the values; false when it is
 * absent.
 */
public final class StringAttributeMatcher implements RequestMatcher {

	private final StringAttribute attribute;

	private final ValueAlternatives values;

	/**
	 * Creates the matcher.
	 * @param attribute the attribute
	 * @param values the alternatives
	 */
	public StringAttributeMatcher(StringAttribute attribute, StringMatcher... values) {
		this.attribute = attribute;
		this.values = new ValueAlternatives(values);
	}

	@Override
	public boolean matches(RequestAttributes request) {
		String value = this.attribute.of(request);
		return value != null && this.values.matches(value);
	}

	StringAttribute attribute() {
		return this.attribute;
	}

	/** The values in policy order; not to be modified. */
	StringMatcher[] values() {
		return this.values.values();
	}

	@Override
	public String toString() {
		return this.attribute + " in " + Arrays.toString(this.values.values());
	}

}
