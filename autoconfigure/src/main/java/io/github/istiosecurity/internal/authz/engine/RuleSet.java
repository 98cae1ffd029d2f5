package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.RequestAttributes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The rules of one action, in evaluation order, with an index by path prefix (and, for
 * rules without one, by exact method) so that a request is only tested against rules that
 * can match its request line. The index is an optimisation only: the answer is always the
 * first rule in order whose matcher matches, exactly as a linear scan would find it.
 * Lookups allocate nothing.
 */
final class RuleSet {

	private static final int NONE = Integer.MAX_VALUE;

	private final CompiledRule[] rules;

	/** Rules with neither path prefixes nor exact methods, ascending. */
	private final int[] unindexed;

	/** Rules without path prefixes but with exact methods, ascending per method. */
	private final Map<String, int[]> byMethod;

	/**
	 * A character trie of path prefixes; each node lists (ascending) the rules whose
	 * prefix ends there.
	 */
	private final Node root;

	private final boolean indexed;

	RuleSet(List<CompiledRule> rules) {
		this.rules = rules.toArray(CompiledRule[]::new);
		List<Integer> unindexedRules = new ArrayList<>();
		Map<String, List<Integer>> methodRules = new HashMap<>();
		MutableNode trie = new MutableNode();
		boolean anyIndexed = false;
		for (int i = 0; i < this.rules.length; i++) {
			String[] prefixes = this.rules[i].pathPrefixes();
			if (prefixes == null || prefixes.length == 0) {
				String[] methods = this.rules[i].methods();
				if (methods == null || methods.length == 0) {
					unindexedRules.add(i);
				}
				else {
					for (String method : methods) {
						List<Integer> list = methodRules.computeIfAbsent(method, (key) -> new ArrayList<>());
						if (list.isEmpty() || list.get(list.size() - 1) != i) {
							list.add(i);
						}
					}
				}
				continue;
			}
			anyIndexed = true;
			for (String prefix : prefixes) {
				MutableNode node = trie;
				for (int c = 0; c < prefix.length(); c++) {
					node = node.children.computeIfAbsent(prefix.charAt(c), (key) -> new MutableNode());
				}
				if (node.rules.isEmpty() || node.rules.get(node.rules.size() - 1) != i) {
					node.rules.add(i);
				}
			}
		}
		this.unindexed = unindexedRules.stream().mapToInt(Integer::intValue).toArray();
		Map<String, int[]> byMethod = new HashMap<>();
		methodRules
			.forEach((method, list) -> byMethod.put(method, list.stream().mapToInt(Integer::intValue).toArray()));
		this.byMethod = Map.copyOf(byMethod);
		this.root = trie.freeze();
		this.indexed = anyIndexed;
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
			best = firstMatch(node.rules, best, request);
			for (int i = 0; i < path.length() && node != null; i++) {
				node = node.child(path.charAt(i));
				if (node != null) {
					best = firstMatch(node.rules, best, request);
				}
			}
		}
		if (!this.byMethod.isEmpty()) {
			int[] methodCandidates = this.byMethod.get(request.method());
			if (methodCandidates != null) {
				best = firstMatch(methodCandidates, best, request);
			}
		}
		best = firstMatch(this.unindexed, best, request);
		return (best == NONE) ? -1 : best;
	}

	/** Tests the ascending candidates below {@code best}, returning the new best. */
	private int firstMatch(int[] candidates, int best, RequestAttributes request) {
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
