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

	private final StringMatcher[] values;

	/**
	 * Creates the matcher.
	 * @param attribute the attribute
	 * @param values the alternatives
	 */
	public StringAttributeMatcher(StringAttribute attribute, StringMatcher... values) {
		this.attribute = attribute;
		this.values = values.clone();
	}

	@Override
	public boolean matches(RequestAttributes request) {
		String value = this.attribute.of(request);
		if (value == null) {
			return false;
		}
		for (StringMatcher matcher : this.values) {
			if (matcher.matches(value)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return this.attribute + " in " + Arrays.toString(this.values);
	}

}
