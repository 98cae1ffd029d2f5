package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.RequestAttributes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The rules of one action, in evaluation order, with indexes so that a request is only
 * tested against rules that can match it: by path prefix, else by one attribute a rule
 * needs ({@link IndexKey}: an exact request principal, header, claim or host name, an
 * address block, a port, a path suffix, a header being there, the method). The indexes
 * are an optimisation only: each candidate list is ascending and the answer is the lowest
 * matching rule over all of them, so it is always the first rule in order whose matcher
 * matches, exactly as a linear scan finds it. Lookups allocate nothing.
 */
final class RuleSet {

	private static final int NONE = Integer.MAX_VALUE;

	private final CompiledRule[] rules;

	/** Rules in no index, ascending. */
	private final int[] unindexed;

	/**
	 * Rules without path prefixes, by their {@link IndexKey}, one index per attribute.
	 */
	private final ValueIndex[] byValue;

	/**
	 * The lowest rule of each of {@link #byValue}: an index is skipped once a lower rule
	 * matched.
	 */
	private final int[] lowestByValue;

	/** Rules with path prefixes, by prefix; {@code null} when there are none. */
	private final @Nullable CharTrie byPathPrefix;

	RuleSet(List<CompiledRule> rules) {
		this(rules, true);
	}

	private RuleSet(List<CompiledRule> rules, boolean useIndexes) {
		this.rules = rules.toArray(CompiledRule[]::new);
		List<Integer> unindexedRules = new ArrayList<>();
		Map<IndexKey.Attribute, Map<Object, List<Integer>>> valueRules = new LinkedHashMap<>();
		CharTrie.Builder trie = new CharTrie.Builder(false);
		boolean anyPrefix = false;
		for (int i = 0; i < this.rules.length; i++) {
			if (!useIndexes) {
				unindexedRules.add(i);
				continue;
			}
			String[] prefixes = this.rules[i].pathPrefixes();
			if (prefixes != null && prefixes.length > 0) {
				anyPrefix = true;
				for (String prefix : prefixes) {
					trie.add(prefix, i);
				}
				continue;
			}
			IndexKey key = IndexKey.of(this.rules[i].matcher());
			if (key == null) {
				unindexedRules.add(i);
				continue;
			}
			Map<Object, List<Integer>> byValue = valueRules.computeIfAbsent(key.attribute(),
					(attribute) -> new LinkedHashMap<>());
			for (Object value : key.values()) {
				byValue.computeIfAbsent(value, (v) -> new ArrayList<>()).add(i);
			}
		}
		this.unindexed = ascending(unindexedRules);
		List<ValueIndex> byValue = new ArrayList<>();
		List<Integer> lowest = new ArrayList<>();
		valueRules.forEach((attribute, lists) -> {
			Map<Object, int[]> frozen = new LinkedHashMap<>();
			lists.forEach((value, list) -> frozen.put(value, ascending(list)));
			byValue.add(ValueIndex.of(attribute, frozen));
			lowest.add(lists.values().stream().flatMap(List::stream).min(Integer::compare).orElse(NONE));
		});
		this.byValue = byValue.toArray(ValueIndex[]::new);
		this.lowestByValue = lowest.stream().mapToInt(Integer::intValue).toArray();
		this.byPathPrefix = anyPrefix ? trie.build() : null;
	}

	/**
	 * The same rules without any index, for tests that compare the indexed answer with a
	 * linear scan.
	 * @param rules the rules
	 * @return a rule set that tests every rule in order
	 */
	static RuleSet linear(List<CompiledRule> rules) {
		return new RuleSet(rules, false);
	}

	private static int[] ascending(List<Integer> rules) {
		return rules.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
	}

	List<CompiledRule> rules() {
		return List.of(this.rules);
	}

	int size() {
		return this.rules.length;
	}

	CompiledRule get(int index) {
		return this.rules[index];
	}

	/**
	 * Returns the index of the first rule (in order) that matches, or -1.
	 * @param request the request
	 * @return the rule index, or -1
	 */
	int firstMatch(RequestAttributes request) {
		int best = NONE;
		if (this.byPathPrefix != null) {
			best = this.byPathPrefix.firstMatch(request.path(), best, this, request);
		}
		for (int i = 0; i < this.byValue.length; i++) {
			if (this.lowestByValue[i] < best) {
				best = this.byValue[i].firstMatch(request, best, this);
			}
		}
		best = scan(this.unindexed, best, request);
		return (best == NONE) ? -1 : best;
	}

	/** Tests the ascending candidates below {@code best}, returning the new best. */
	int scan(int[] candidates, int best, RequestAttributes request) {
		for (int candidate : candidates) {
			if (candidate >= best) {
				return best;
			}
			if (this.rules[candidate].matcher().matches(request)) {
				return candidate;
			}
		}
		return best;
	}

}
