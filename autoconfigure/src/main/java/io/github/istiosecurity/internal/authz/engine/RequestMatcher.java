package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.RequestAttributes;

import java.util.Arrays;

/**
 * A compiled test on a request: a rule, one of its {@code from}/{@code to}/{@code when}
 * parts, or one attribute check with values and notValues (§3.5).
 */
@FunctionalInterface
public interface RequestMatcher {

	/** Matches every request (an absent {@code from}, {@code to} or {@code when}). */
	RequestMatcher ALWAYS = new RequestMatcher() {

		@Override
		public boolean matches(RequestAttributes request) {
			return true;
		}

		@Override
		public String toString() {
			return "always";
		}

	};

	/**
	 * Matches no request (an attribute that is never there, e.g. {@code experimental.*}).
	 */
	RequestMatcher NEVER = new RequestMatcher() {

		@Override
		public boolean matches(RequestAttributes request) {
			return false;
		}

		@Override
		public String toString() {
			return "never";
		}

	};

	/**
	 * Whether the request matches.
	 * @param request the request
	 * @return whether it matches
	 */
	boolean matches(RequestAttributes request);

	/**
	 * ORs matchers; none means {@link #NEVER}.
	 * @param matchers the alternatives
	 * @return the combined matcher
	 */
	static RequestMatcher anyOf(RequestMatcher... matchers) {
		return switch (matchers.length) {
			case 0 -> NEVER;
			case 1 -> matchers[0];
			default -> new AnyOf(matchers.clone());
		};
	}

	/**
	 * ANDs matchers; none means {@link #ALWAYS}.
	 * @param matchers the conditions
	 * @return the combined matcher
	 */
	static RequestMatcher allOf(RequestMatcher... matchers) {
		return switch (matchers.length) {
			case 0 -> ALWAYS;
			case 1 -> matchers[0];
			default -> new AllOf(matchers.clone());
		};
	}

	/**
	 * Negates a matcher: the {@code notX} half of a field, satisfied when the attribute
	 * is absent (§3.10).
	 * @param matcher the matcher to negate
	 * @return the negation
	 */
	static RequestMatcher not(RequestMatcher matcher) {
		return new Not(matcher);
	}

	/** Any of several matchers. */
	final class AnyOf implements RequestMatcher {

		private final RequestMatcher[] matchers;

		AnyOf(RequestMatcher[] matchers) {
			this.matchers = matchers;
		}

		@Override
		public boolean matches(RequestAttributes request) {
			for (RequestMatcher matcher : this.matchers) {
				if (matcher.matches(request)) {
					return true;
				}
			}
			return false;
		}

		/** The alternatives; not to be modified. */
		RequestMatcher[] matchers() {
			return this.matchers;
		}

		@Override
		public String toString() {
			return "anyOf" + Arrays.toString(this.matchers);
		}

	}

	/** All of several matchers. */
	final class AllOf implements RequestMatcher {

		private final RequestMatcher[] matchers;

		AllOf(RequestMatcher[] matchers) {
			this.matchers = matchers;
		}

		@Override
		public boolean matches(RequestAttributes request) {
			for (RequestMatcher matcher : this.matchers) {
				if (!matcher.matches(request)) {
					return false;
				}
			}
			return true;
		}

		/** The conditions; not to be modified. */
		RequestMatcher[] matchers() {
			return this.matchers;
		}

		@Override
		public String toString() {
			return "allOf" + Arrays.toString(this.matchers);
		}

	}

	/** The negation of a matcher. */
	record Not(RequestMatcher matcher) implements RequestMatcher {

		@Override
		public boolean matches(RequestAttributes request) {
			return !this.matcher.matches(request);
		}

	}

}
