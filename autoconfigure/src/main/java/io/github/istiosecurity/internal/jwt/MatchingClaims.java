package io.github.istiosecurity.internal.jwt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The payload as authorization matches it (§2.9): each top-level string claim named
 * {@code scope}, {@code permission} or listed in the rule's {@code spaceDelimitedClaims}
 * becomes the list of its space-separated words, empty words dropped. Nested names are
 * not looked up (D6).
 */
final class MatchingClaims {

	private MatchingClaims() {
	}

	static Set<String> names(List<String> spaceDelimitedClaims) {
		Set<String> names = new java.util.HashSet<>(spaceDelimitedClaims);
		names.add("scope");
		names.add("permission");
		return Set.copyOf(names);
	}

	static Map<String, Object> of(Map<String, @Nullable Object> claims, Set<String> spaceDelimited) {
		Map<String, Object> result = null;
		for (String name : spaceDelimited) {
			if (claims.get(name) instanceof String value) {
				if (result == null) {
					result = new LinkedHashMap<>(nonNull(claims));
				}
				result.put(name, words(value));
			}
		}
		return (result != null) ? Collections.unmodifiableMap(result) : nonNull(claims);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> nonNull(Map<String, @Nullable Object> claims) {
		// JSON nulls are kept; the map's contract is the engine's (String, Number,
		// Boolean, List, Map).
		return (Map<String, Object>) (Map<String, ?>) claims;
	}

	private static List<String> words(String value) {
		List<String> words = new ArrayList<>();
		int start = 0;
		for (int i = 0; i <= value.length(); i++) {
			if (i == value.length() || value.charAt(i) == ' ') {
				if (i > start) {
					words.add(value.substring(start, i));
				}
				start = i + 1;
			}
		}
		return Collections.unmodifiableList(words);
	}

}
