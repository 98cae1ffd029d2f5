package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.istiosecurity.internal.authz.match.StringMatcher;
import org.jspecify.annotations.Nullable;

/**
 * The ORed values of one attribute check. Once there are many exact ones (one policy may
 * list a thousand), they are looked up in a hash set instead of compared one by one; the
 * answer is the same.
 */
final class ValueAlternatives {

	/** Below this many exact values a linear scan is as fast as hashing. */
	static final int HASHED_FROM = 8;

	private final StringMatcher[] values;

	private final @Nullable Set<String> exact;

	private final StringMatcher[] others;

	ValueAlternatives(StringMatcher[] values) {
		this.values = values.clone();
		Set<String> exact = new HashSet<>();
		List<StringMatcher> others = new ArrayList<>();
		for (StringMatcher value : values) {
			if (value instanceof StringMatcher.Exact e) {
				exact.add(e.text());
			}
			else {
				others.add(value);
			}
		}
		boolean hashed = exact.size() >= HASHED_FROM;
		// a HashSet, not Set.copyOf: see ValueIndex
		this.exact = hashed ? exact : null;
		this.others = hashed ? others.toArray(StringMatcher[]::new) : this.values;
	}

	boolean matches(String value) {
		if (this.exact != null && this.exact.contains(value)) {
			return true;
		}
		for (StringMatcher matcher : this.others) {
			if (matcher.matches(value)) {
				return true;
			}
		}
		return false;
	}

	/** The values as compiled, in policy order; not to be modified. */
	StringMatcher[] values() {
		return this.values;
	}

}
