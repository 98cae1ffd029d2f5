package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.RequestAttributes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The rules of one action, in evaluation order, with indexes so that a request is only
 * tested against rules that can match it: by path prefix, else by one attribute that must
 * have one of some exact values (a request principal, a header, a claim, the method:
 * {@link ExactValueKey}). The indexes are an optimisation only: each candidate list is
 * ascending and the answer is the lowest matching rule over all of them, so it is always
 * the first rule in order whose matcher matches, exactly as a linear scan finds it.
 * Lookups allocate nothing.
 */
final class RuleSet {

	private static final int NONE = Integer.MAX_VALUE;

	private final CompiledRule[] rules;

	/** Rules in no index, ascending. */
	private final int[] unindexed;

	/** Rules without path prefixes, by their exact-value key, one index per attribute. */
	private final ValueIndex[] byValue;

	/**
	 * A character trie of path prefixes; each node lists (ascending) the rules whose
	 * prefix ends there.
	 */
	private final Node root;

	/** Whether any rule is in the trie. */
	private final boolean indexed;

	RuleSet(List<CompiledRule> rules) {
		this(rules, true);
	}

	private RuleSet(List<CompiledRule> rules, boolean useIndexes) {
		this.rules = rules.toArray(CompiledRule[]::new);
		List<Integer> unindexedRules = new ArrayList<>();
		Map<ExactValueKey.Attribute, Map<List<String>, List<Integer>>> valueRules = new LinkedHashMap<>();
		MutableNode trie = new MutableNode();
		boolean anyIndexed = false;
		for (int i = 0; i < this.rules.length; i++) {
			if (!useIndexes) {
				unindexedRules.add(i);
				continue;
			}
			String[] prefixes = this.rules[i].pathPrefixes();
			if (prefixes != null && prefixes.length > 0) {
				anyIndexed = true;
				for (String prefix : prefixes) {
					MutableNode node = trie;
					for (int c = 0; c < prefix.length(); c++) {
						node = node.children.computeIfAbsent(prefix.charAt(c), (k) -> new MutableNode());
					}
					if (node.rules.isEmpty() || node.rules.get(node.rules.size() - 1) != i) {
						node.rules.add(i);
					}
				}
				continue;
			}
			ExactValueKey key = ExactValueKey.of(this.rules[i].matcher());
			if (key == null) {
				unindexedRules.add(i);
				continue;
			}
			Map<List<String>, List<Integer>> byValue = valueRules.computeIfAbsent(key.attribute(),
					(attribute) -> new LinkedHashMap<>());
			for (List<String> value : key.values()) {
				byValue.computeIfAbsent(value, (v) -> new ArrayList<>()).add(i);
			}
		}
		this.unindexed = ascending(unindexedRules);
		List<ValueIndex> byValue = new ArrayList<>();
		valueRules.forEach((attribute, lists) -> {
			Map<List<String>, int[]> frozen = new LinkedHashMap<>();
			lists.forEach((value, list) -> frozen.put(value, ascending(list)));
			byValue.add(ValueIndex.of(attribute, frozen));
		});
		this.byValue = byValue.toArray(ValueIndex[]::new);
		this.root = trie.freeze();
		this.indexed = anyIndexed;
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
		return rules.stream().mapToInt(Integer::intValue).sorted().toArray();
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
		if (this.indexed) {
			String path = request.path();
			Node node = this.root;
			best = scan(node.rules, best, request);
			for (int i = 0; i < path.length() && node != null; i++) {
				node = node.child(path.charAt(i));
				if (node != null) {
					best = scan(node.rules, best, request);
				}
			}
		}
		for (ValueIndex index : this.byValue) {
			best = index.firstMatch(request, best, this);
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

	private static final class Node {

		private final char[] keys;

		private final Node[] children;

		private final int[] rules;

		Node(char[] keys, Node[] children, int[] rules) {
			this.keys = keys;
			this.children = children;
			this.rules = rules;
		}

		@Nullable Node child(char c) {
			int low = 0;
			int high = this.keys.length - 1;
			while (low <= high) {
				int mid = (low + high) >>> 1;
				char key = this.keys[mid];
				if (key < c) {
					low = mid + 1;
				}
				else if (key > c) {
					high = mid - 1;
				}
				else {
					return this.children[mid];
				}
			}
			return null;
		}

	}

	private static final class MutableNode {

		private final TreeMap<Character, MutableNode> children = new TreeMap<>();

		private final List<Integer> rules = new ArrayList<>();

		Node freeze() {
			char[] keys = new char[this.children.size()];
			Node[] frozen = new Node[this.children.size()];
			int i = 0;
			for (var child : this.children.entrySet()) {
				keys[i] = child.getKey();
				frozen[i++] = child.getValue().freeze();
			}
			return new Node(keys, frozen, this.rules.stream().sorted().mapToInt(Integer::intValue).toArray());
		}

	}

}
