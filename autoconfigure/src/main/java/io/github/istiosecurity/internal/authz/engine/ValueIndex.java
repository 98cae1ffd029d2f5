package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.TreeMap;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.match.IpBlock;

/**
 * The rules of a {@link RuleSet} keyed on one attribute ({@link IndexKey}), by value: the
 * candidates for a request are the rules listed under the request's own value(s). A
 * request without the attribute has no candidates here, as none of these rules can match
 * it. Lookups allocate nothing. The maps are {@link HashMap}s, never modified after
 * construction: {@code Map.copyOf} probes linearly, and values such as {@code user1} ...
 * {@code user999} hash to neighbouring slots, so a miss would walk a long run of them.
 */
abstract sealed class ValueIndex permits ValueIndex.OfString, ValueIndex.OfClaim, ValueIndex.OfRequestPrincipal,
		ValueIndex.OfHostName, ValueIndex.OfPort, ValueIndex.OfAddress, ValueIndex.OfPathSuffix, ValueIndex.OfPresence {

	/**
	 * Tests the candidates for the request below {@code best}.
	 * @param request the request
	 * @param best the lowest matching rule found so far, or a bound
	 * @param rules the rule set, to test candidates with
	 * @return the new best
	 */
	abstract int firstMatch(RequestAttributes request, int best, RuleSet rules);

	/**
	 * Builds the index of one attribute.
	 * @param attribute the attribute
	 * @param rulesByValue ascending rule indexes per value, of the attribute's value type
	 * @return the index
	 */
	static ValueIndex of(IndexKey.Attribute attribute, Map<Object, int[]> rulesByValue) {
		if (attribute instanceof IndexKey.StringValued string) {
			return new OfString(string.attribute(), byString(rulesByValue));
		}
		if (attribute instanceof IndexKey.Claim claim) {
			return new OfClaim(claim.path().toArray(String[]::new), byString(rulesByValue));
		}
		if (attribute instanceof IndexKey.HostName) {
			return new OfHostName(byString(rulesByValue));
		}
		if (attribute instanceof IndexKey.Port) {
			return new OfPort(rulesByValue);
		}
		if (attribute instanceof IndexKey.Address address) {
			return new OfAddress(address.attribute(), rulesByValue);
		}
		if (attribute instanceof IndexKey.PathSuffix) {
			CharTrie.Builder trie = new CharTrie.Builder(true);
			rulesByValue
				.forEach((suffix, rules) -> Arrays.stream(rules).forEach((rule) -> trie.add((String) suffix, rule)));
			return new OfPathSuffix(trie.build());
		}
		if (attribute instanceof IndexKey.Present present) {
			return new OfPresence(present.attribute(), merged(rulesByValue.values()));
		}
		Map<String, Map<String, int[]>> byIssuer = new HashMap<>();
		rulesByValue.forEach((value, rules) -> {
			List<?> principal = (List<?>) value;
			byIssuer.computeIfAbsent((String) principal.get(0), (key) -> new HashMap<>())
				.put((String) principal.get(1), rules);
		});
		return new OfRequestPrincipal(byIssuer);
	}

	private static Map<String, int[]> byString(Map<Object, int[]> rulesByValue) {
		Map<String, int[]> byValue = new HashMap<>();
		rulesByValue.forEach((value, rules) -> byValue.merge((String) value, rules, ValueIndex::merged));
		return byValue;
	}

	private static int[] merged(int[] a, int[] b) {
		return merged(List.of(a, b));
	}

	/** The rules of several lists, ascending, each once. */
	private static int[] merged(Iterable<int[]> lists) {
		List<int[]> all = new ArrayList<>();
		lists.forEach(all::add);
		return all.stream().flatMapToInt(Arrays::stream).sorted().distinct().toArray();
	}

	/**
	 * Case-folds a character as {@link String#equalsIgnoreCase} compares: two characters
	 * are equal ignoring case exactly when they fold to the same character.
	 * @param c the character
	 * @return its folded form
	 */
	static char fold(char c) {
		if (c < 128) {
			return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
		}
		return Character.toLowerCase(Character.toUpperCase(c));
	}

	/** A header or the method: its one value, compared with case. */
	static final class OfString extends ValueIndex {

		private final StringAttribute attribute;

		private final Map<String, int[]> byValue;

		OfString(StringAttribute attribute, Map<String, int[]> byValue) {
			this.attribute = attribute;
			this.byValue = byValue;
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			String value = this.attribute.of(request);
			if (value == null) {
				return best;
			}
			int[] candidates = this.byValue.get(value);
			return (candidates != null) ? rules.scan(candidates, best, request) : best;
		}

	}

	/** A claim: a string, or each string of a list (§3.11). */
	static final class OfClaim extends ValueIndex {

		private final String[] path;

		private final Map<String, int[]> byValue;

		OfClaim(String[] path, Map<String, int[]> byValue) {
			this.path = path;
			this.byValue = byValue;
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			Object claim = ClaimMatcher.claim(request.jwtClaims(), this.path);
			if (claim instanceof String string) {
				return scan(string, best, request, rules);
			}
			if (claim instanceof List<?> list) {
				if (list instanceof RandomAccess) {
					for (int i = 0; i < list.size(); i++) {
						if (list.get(i) instanceof String string) {
							best = scan(string, best, request, rules);
						}
					}
				}
				else {
					for (Object element : list) {
						if (element instanceof String string) {
							best = scan(string, best, request, rules);
						}
					}
				}
			}
			return best;
		}

		private int scan(String value, int best, RequestAttributes request, RuleSet rules) {
			int[] candidates = this.byValue.get(value);
			return (candidates != null) ? rules.scan(candidates, best, request) : best;
		}

	}

	/** The request principal: the {@code iss} and {@code sub} claims, both strings. */
	static final class OfRequestPrincipal extends ValueIndex {

		private final Map<String, Map<String, int[]>> byIssuerAndSubject;

		OfRequestPrincipal(Map<String, Map<String, int[]>> byIssuerAndSubject) {
			this.byIssuerAndSubject = byIssuerAndSubject;
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			Map<String, Object> claims = request.jwtClaims();
			if (claims == null || !(claims.get("iss") instanceof String issuer)
					|| !(claims.get("sub") instanceof String subject)) {
				return best;
			}
			Map<String, int[]> bySubject = this.byIssuerAndSubject.get(issuer);
			int[] candidates = (bySubject != null) ? bySubject.get(subject) : null;
			return (candidates != null) ? rules.scan(candidates, best, request) : best;
		}

	}

	/**
	 * The host up to its first {@code :}, case-folded: an open-addressing table of the
	 * folded names, probed with the request's host as it is (no lower-cased copy).
	 */
	static final class OfHostName extends ValueIndex {

		private final String[] names;

		private final int[][] rules;

		private final int mask;

		OfHostName(Map<String, int[]> byName) {
			int capacity = Integer.highestOneBit(Math.max(2, byName.size() * 2) - 1) << 1;
			this.names = new String[capacity];
			this.rules = new int[capacity][];
			this.mask = capacity - 1;
			byName.forEach((name, rules) -> {
				int slot = slot(name, name.length());
				while (this.names[slot] != null) {
					slot = (slot + 1) & this.mask;
				}
				this.names[slot] = name;
				this.rules[slot] = rules;
			});
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			String host = request.host();
			if (host == null) {
				return best;
			}
			int colon = host.indexOf(':');
			int end = (colon >= 0) ? colon : host.length();
			for (int slot = slot(host, end); this.names[slot] != null; slot = (slot + 1) & this.mask) {
				if (sameName(this.names[slot], host, end)) {
					return rules.scan(this.rules[slot], best, request);
				}
			}
			return best;
		}

		private int slot(String text, int end) {
			int hash = 0;
			for (int i = 0; i < end; i++) {
				hash = 31 * hash + fold(text.charAt(i));
			}
			return (hash ^ (hash >>> 16)) & this.mask;
		}

		private static boolean sameName(String name, String host, int end) {
			if (name.length() != end) {
				return false;
			}
			for (int i = 0; i < end; i++) {
				if (name.charAt(i) != fold(host.charAt(i))) {
					return false;
				}
			}
			return true;
		}

	}

	/** The local port: a sorted array searched by bisection. */
	static final class OfPort extends ValueIndex {

		private final int[] ports;

		private final int[][] rules;

		OfPort(Map<Object, int[]> byPort) {
			TreeMap<Integer, int[]> sorted = new TreeMap<>();
			byPort.forEach((port, rules) -> sorted.merge((Integer) port, rules, ValueIndex::merged));
			this.ports = sorted.keySet().stream().mapToInt(Integer::intValue).toArray();
			this.rules = sorted.values().toArray(int[][]::new);
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			int found = Arrays.binarySearch(this.ports, request.destinationPort());
			return (found >= 0) ? rules.scan(this.rules[found], best, request) : best;
		}

	}

	/**
	 * An address: for each block size (family and prefix length) a sorted table of the
	 * blocks' network bits, searched with the request's address masked to that size.
	 */
	static final class OfAddress extends ValueIndex {

		private static final Comparator<long[]> BY_BITS = Comparator.<long[]>comparingLong((bits) -> bits[0])
			.thenComparingLong((bits) -> bits[1]);

		private final IpAttributeMatcher.Attribute attribute;

		private final BlockSize[] sizes;

		OfAddress(IpAttributeMatcher.Attribute attribute, Map<Object, int[]> byBlock) {
			this.attribute = attribute;
			Map<List<Object>, TreeMap<long[], int[]>> bySize = new LinkedHashMap<>();
			byBlock.forEach((value, rules) -> {
				IpBlock block = (IpBlock) value;
				bySize
					.computeIfAbsent(List.of(block.isV4(), block.highMask(), block.lowMask()),
							(k) -> new TreeMap<>(BY_BITS))
					.merge(new long[] { block.high(), block.low() }, rules, ValueIndex::merged);
			});
			this.sizes = bySize.entrySet()
				.stream()
				.map((size) -> new BlockSize(size.getKey(), size.getValue()))
				.toArray(BlockSize[]::new);
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			IpAddress address = this.attribute.of(request);
			if (address == null) {
				return best;
			}
			for (BlockSize size : this.sizes) {
				if (size.v4 == address.isV4()) {
					int found = size.find(address.high() & size.highMask, address.low() & size.lowMask);
					if (found >= 0) {
						best = rules.scan(size.rules[found], best, request);
					}
				}
			}
			return best;
		}

		private static final class BlockSize {

			private final boolean v4;

			private final long highMask;

			private final long lowMask;

			private final long[] highs;

			private final long[] lows;

			private final int[][] rules;

			BlockSize(List<Object> size, TreeMap<long[], int[]> blocks) {
				this.v4 = (Boolean) size.get(0);
				this.highMask = (Long) size.get(1);
				this.lowMask = (Long) size.get(2);
				this.highs = blocks.keySet().stream().mapToLong((bits) -> bits[0]).toArray();
				this.lows = blocks.keySet().stream().mapToLong((bits) -> bits[1]).toArray();
				this.rules = blocks.values().toArray(int[][]::new);
			}

			/** The index of the block with these network bits, or -1. */
			int find(long high, long low) {
				int from = 0;
				int to = this.highs.length - 1;
				while (from <= to) {
					int mid = (from + to) >>> 1;
					int order = (this.highs[mid] != high) ? Long.compare(this.highs[mid], high)
							: Long.compare(this.lows[mid], low);
					if (order < 0) {
						from = mid + 1;
					}
					else if (order > 0) {
						to = mid - 1;
					}
					else {
						return mid;
					}
				}
				return -1;
			}

		}

	}

	/** The normalized path: a trie of the suffixes, walked from the path's end. */
	static final class OfPathSuffix extends ValueIndex {

		private final CharTrie suffixes;

		OfPathSuffix(CharTrie suffixes) {
			this.suffixes = suffixes;
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			return this.suffixes.firstMatch(request.path(), best, rules, request);
		}

	}

	/** A header or the SNI: its rules are candidates when it is there at all. */
	static final class OfPresence extends ValueIndex {

		private final StringAttribute attribute;

		private final int[] rules;

		OfPresence(StringAttribute attribute, int[] rules) {
			this.attribute = attribute;
			this.rules = rules;
		}

		@Override
		int firstMatch(RequestAttributes request, int best, RuleSet rules) {
			if (this.rules.length == 0 || this.rules[0] >= best || this.attribute.of(request) == null) {
				return best;
			}
			return rules.scan(this.rules, best, request);
		}

	}

}
