package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.github.istiosecurity.authz.RequestAttributes;
import org.jspecify.annotations.Nullable;

/**
 * A character trie of literals that a request path starts with (prefixes) or ends with
 * (suffixes, stored reversed); each node lists, ascending, the rules whose literal ends
 * there. Walking the path once visits every rule one of whose literals the path has.
 * Immutable; lookups allocate nothing.
 */
final class CharTrie {

	private final Node root;

	private final boolean suffixes;

	private CharTrie(Node root, boolean suffixes) {
		this.root = root;
		this.suffixes = suffixes;
	}

	/**
	 * Tests, below {@code best}, the rules of every literal the text starts (or ends)
	 * with.
	 * @param text the request's path
	 * @param best the lowest matching rule found so far, or a bound
	 * @param rules the rule set, to test candidates with
	 * @param request the request
	 * @return the new best
	 */
	int firstMatch(String text, int best, RuleSet rules, RequestAttributes request) {
		Node node = this.root;
		best = rules.scan(node.rules, best, request);
		int length = text.length();
		for (int i = 0; i < length && node != null; i++) {
			node = node.child(text.charAt(this.suffixes ? length - 1 - i : i));
			if (node != null) {
				best = rules.scan(node.rules, best, request);
			}
		}
		return best;
	}

	/** Collects literals and their rules. */
	static final class Builder {

		private final MutableNode root = new MutableNode();

		private final boolean suffixes;

		/**
		 * Creates a builder.
		 * @param suffixes whether the literals are suffixes rather than prefixes
		 */
		Builder(boolean suffixes) {
			this.suffixes = suffixes;
		}

		/**
		 * Adds a literal of a rule.
		 * @param literal the prefix or suffix
		 * @param rule the rule's index
		 */
		void add(String literal, int rule) {
			MutableNode node = this.root;
			int length = literal.length();
			for (int c = 0; c < length; c++) {
				char key = literal.charAt(this.suffixes ? length - 1 - c : c);
				node = node.children.computeIfAbsent(key, (k) -> new MutableNode());
			}
			node.rules.add(rule);
		}

		CharTrie build() {
			return new CharTrie(this.root.freeze(), this.suffixes);
		}

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
			return new Node(keys, frozen,
					this.rules.stream().mapToInt(Integer::intValue).sorted().distinct().toArray());
		}

	}

}
