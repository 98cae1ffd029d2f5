package io.github.istiosecurity.internal.load;

import java.io.Reader;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads a YAML stream into {@link YamlNode} documents with SnakeYAML's node API only: no
 * Java object is ever constructed from a tag. Limits keep hostile input cheap: 50 aliases
 * to collections, nesting depth 64, 3 MiB per document (the Kubernetes API server's
 * request limit) and no more nodes after alias expansion than a plain 3 MiB document
 * could hold. Decoding follows {@code kubectl} (YAML 1.1, {@code yaml.v2}): duplicate
 * keys are errors, non-string keys become strings, merge keys ({@code <<}) are honoured.
 */
final class YamlDocumentReader {

	/** The Kubernetes API server refuses request bodies over 3 MiB. */
	static final int CODE_POINT_LIMIT = 3 * 1024 * 1024;

	static final int MAX_ALIASES_FOR_COLLECTIONS = 50;

	static final int NESTING_DEPTH_LIMIT = 64;

	/**
	 * More nodes than a 3 MiB document of one-character flow items ({@code [a,a,...]})
	 * can hold.
	 */
	static final int MAX_EXPANDED_NODES = 2_000_000;

	private static final String YAML_TAG_PREFIX = Tag.PREFIX;

	private static final Set<Tag> STANDARD_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP,
			Tag.SEQ, Tag.TIMESTAMP, Tag.MERGE);

	/**
	 * A document of the stream.
	 *
	 * @param root the root node
	 * @param line the line the document's content starts on
	 */
	record YamlDocument(YamlNode root, int line) {
	}

	/**
	 * Reads every document of the stream, passing each to the consumer as soon as it is
	 * read. A syntax error or a limit stops reading: it is reported, and the documents
	 * before it have been passed on.
	 * @param input the stream
	 * @param problems where problems are reported
	 * @param consumer receives the documents; empty documents are skipped
	 */
	void read(Reader input, Problems problems, Consumer<YamlDocument> consumer) {
		LoaderOptions options = loaderOptions();
		LineCountingReader lines = new LineCountingReader(input);
		StreamReader streamReader = new StreamReader(lines);
		AliasTrackingParser parser = new AliasTrackingParser(new ParserImpl(streamReader, options), lines);
		Composer composer = new Composer(parser, new YamlV2Resolver(), options);
		try {
			while (composer.checkNode()) {
				Node node = composer.getNode();
				if (node == null) {
					continue;
				}
				TreeBuilder builder = new TreeBuilder(problems, parser.firstCollectionAliasLine());
				YamlNode root = builder.build(node);
				if (builder.exhausted) {
					return;
				}
				if (!(root instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.NULL)) {
					consumer.accept(new YamlDocument(root, line(node.getStartMark())));
				}
			}
		}
		catch (MarkedYAMLException ex) {
			Mark mark = (ex.getProblemMark() != null) ? ex.getProblemMark() : ex.getContextMark();
			int line = (mark != null) ? line(mark) : streamReader.getLine() + 1;
			String context = ex.getContext();
			String message = (context != null) ? context + " " + ex.getProblem() : ex.getProblem();
			problems.error(line, PolicyProblem.NO_FIELD, message);
		}
		catch (YAMLException ex) {
			problems.error(limitLine(ex, parser, streamReader, lines), PolicyProblem.NO_FIELD, limitMessage(ex));
		}
	}

	private static LoaderOptions loaderOptions() {
		LoaderOptions options = new LoaderOptions();
		options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
		options.setAllowRecursiveKeys(false);
		options.setNestingDepthLimit(NESTING_DEPTH_LIMIT);
		options.setCodePointLimit(CODE_POINT_LIMIT);
		options.setAllowDuplicateKeys(false);
		options.setProcessComments(false);
		// Let global tags through composition (nothing is ever constructed from them) so
		// that the tree builder
		// can report them with their line and field.
		options.setTagInspector((tag) -> true);
		return options;
	}

	private static int limitLine(YAMLException ex, AliasTrackingParser parser, StreamReader streamReader,
			LineCountingReader lines) {
		if (isAliasLimit(ex) && parser.firstCollectionAliasLine() > 0) {
			// Report where the aliasing starts, not where the counter ran out.
			return parser.firstCollectionAliasLine();
		}
		if (String.valueOf(ex.getMessage()).contains("code points") && parser.documentStart() >= 0) {
			// SnakeYAML reads ahead of its scanner; report the line where the document
			// crosses the limit.
			return lines.lineAt(parser.documentStart() + CODE_POINT_LIMIT);
		}
		return streamReader.getLine() + 1;
	}

	private static boolean isAliasLimit(YAMLException ex) {
		return String.valueOf(ex.getMessage()).contains("aliases");
	}

	private static String limitMessage(YAMLException ex) {
		String message = String.valueOf(ex.getMessage());
		if (isAliasLimit(ex)) {
			return "too many aliases (excessive aliasing): more than " + MAX_ALIASES_FOR_COLLECTIONS
					+ " aliases to collections";
		}
		if (message.contains("code points")) {
			return "document exceeds the 3 MiB size limit (" + CODE_POINT_LIMIT + " code points)";
		}
		return message;
	}

	private static int line(Mark mark) {
		return mark.getLine() + 1;
	}

	/**
	 * Converts SnakeYAML nodes into {@link YamlNode}s, checking tags, keys and expansion.
	 */
	private static final class TreeBuilder {

		private final Problems problems;

		private final int aliasLine;

		private int nodes;

		private boolean exhausted;

		TreeBuilder(Problems problems, int aliasLine) {
			this.problems = problems;
			this.aliasLine = aliasLine;
		}

		YamlNode build(Node node) {
			return convert(node, line(node.getStartMark()), "", 0);
		}

		private YamlNode convert(Node node, int line, String path, int depth) {
			if (this.exhausted) {
				return new YamlNode.Scalar(line, YamlNode.ScalarType.NULL, "");
			}
			if (++this.nodes > MAX_EXPANDED_NODES || depth > NESTING_DEPTH_LIMIT) {
				// Aliases can nest (and even recurse): refuse before the expansion gets
				// large.
				this.exhausted = true;
				this.problems.error((this.aliasLine > 0) ? this.aliasLine : line, PolicyProblem.NO_FIELD,
						"too many aliases (excessive aliasing): the document expands beyond "
								+ ((depth > NESTING_DEPTH_LIMIT) ? "nesting depth " + NESTING_DEPTH_LIMIT
										: MAX_EXPANDED_NODES + " nodes"));
				return new YamlNode.Scalar(line, YamlNode.ScalarType.NULL, "");
			}
			if (!STANDARD_TAGS.contains(node.getTag())) {
				this.problems.error(line, path, describe(node.getTag()) + " is not allowed");
				return new YamlNode.Scalar(line, YamlNode.ScalarType.NULL, "");
			}
			if (node instanceof ScalarNode scalar) {
				return scalar(scalar, line);
			}
			if (node instanceof SequenceNode sequence) {
				List<YamlNode> items = new java.util.ArrayList<>(sequence.getValue().size());
				int index = 0;
				for (Node item : sequence.getValue()) {
					items.add(convert(item, line(item.getStartMark()), path + "[" + index + "]", depth + 1));
					index++;
				}
				return new YamlNode.Sequence(line, items);
			}
			return mapping((MappingNode) node, line, path, depth);
		}

		private YamlNode mapping(MappingNode node, int line, String path, int depth) {
			Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
			Map<String, YamlNode.Entry> mergedEntries = new LinkedHashMap<>();
			for (NodeTuple tuple : node.getValue()) {
				Node keyNode = tuple.getKeyNode();
				int keyLine = line(keyNode.getStartMark());
				if (keyNode.getTag().equals(Tag.MERGE)) {
					merge(tuple.getValueNode(), keyLine, path, depth, mergedEntries);
					continue;
				}
				String key = key(keyNode, keyLine, path);
				if (key == null) {
					continue;
				}
				String childPath = path.isEmpty() ? key : path + "." + key;
				YamlNode.Entry previous = entries.get(key);
				if (previous != null) {
					this.problems.error(keyLine, childPath, "key \"" + key
							+ "\" already set in map (duplicate key; first at line " + previous.keyLine() + ")");
					continue;
				}
				entries.put(key,
						new YamlNode.Entry(keyLine, convert(tuple.getValueNode(), keyLine, childPath, depth + 1)));
			}
			// Explicit keys win over merged ones (YAML merge key semantics).
			mergedEntries.forEach(entries::putIfAbsent);
			return new YamlNode.Mapping(line, entries);
		}

		private void merge(Node source, int keyLine, String path, int depth, Map<String, YamlNode.Entry> into) {
			List<Node> sources = (source instanceof SequenceNode sequence) ? sequence.getValue() : List.of(source);
			for (Node each : sources) {
				YamlNode converted = convert(each, keyLine, path, depth + 1);
				if (converted instanceof YamlNode.Mapping mapping) {
					mapping.entries().forEach(into::putIfAbsent);
				}
				else if (!this.exhausted) {
					this.problems.error(keyLine, path.isEmpty() ? "<<" : path + ".<<",
							"map merge requires map or sequence of maps as the value");
				}
			}
		}

		private @Nullable String key(Node keyNode, int keyLine, String path) {
			if (!(keyNode instanceof ScalarNode)) {
				this.problems.error(keyLine, path, "map key must be a string, found " + keyNode.getNodeId());
				return null;
			}
			if (!STANDARD_TAGS.contains(keyNode.getTag())) {
				this.problems.error(keyLine, path, describe(keyNode.getTag()) + " is not allowed");
				return null;
			}
			YamlNode.Scalar scalar = scalar((ScalarNode) keyNode, keyLine);
			// sigs.k8s.io/yaml turns non-string keys into their JSON text: 8080 ->
			// "8080", 0x10 -> "16".
			return switch (scalar.type()) {
				case INTEGER -> integerText(scalar.value());
				case BOOLEAN -> String.valueOf(YamlV2Resolver.booleanValue(scalar.value()));
				case NULL -> "null";
				default -> scalar.value();
			};
		}

		private static YamlNode.Scalar scalar(ScalarNode node, int line) {
			Tag tag = node.getTag();
			YamlNode.ScalarType type;
			if (tag.equals(Tag.INT)) {
				type = YamlNode.ScalarType.INTEGER;
			}
			else if (tag.equals(Tag.FLOAT)) {
				type = YamlNode.ScalarType.NUMBER;
			}
			else if (tag.equals(Tag.BOOL)) {
				type = YamlNode.ScalarType.BOOLEAN;
			}
			else if (tag.equals(Tag.NULL)) {
				type = YamlNode.ScalarType.NULL;
			}
			else {
				type = YamlNode.ScalarType.STRING;
			}
			return new YamlNode.Scalar(line, type, node.getValue());
		}

		private static String integerText(String text) {
			String plain = text.replace("_", "");
			boolean negative = plain.startsWith("-");
			String digits = (plain.startsWith("-") || plain.startsWith("+")) ? plain.substring(1) : plain;
			int radix = 10;
			String lower = digits.toLowerCase(java.util.Locale.ROOT);
			if (lower.startsWith("0x")) {
				radix = 16;
				digits = digits.substring(2);
			}
			else if (lower.startsWith("0b")) {
				radix = 2;
				digits = digits.substring(2);
			}
			else if (lower.startsWith("0o")) {
				radix = 8;
				digits = digits.substring(2);
			}
			else if (digits.length() > 1 && digits.startsWith("0")) {
				radix = 8;
			}
			try {
				BigInteger value = new BigInteger(digits, radix);
				return (negative ? value.negate() : value).toString();
			}
			catch (NumberFormatException ex) {
				return text;
			}
		}

		private static String describe(Tag tag) {
			String value = tag.getValue();
			if (value.startsWith(YAML_TAG_PREFIX)) {
				return "global tag !!" + value.substring(YAML_TAG_PREFIX.length());
			}
			if (value.startsWith("!")) {
				return "local tag " + value;
			}
			return "global tag " + value;
		}

	}

	/**
	 * Remembers where the first alias to a collection is, to report excessive aliasing
	 * where it starts.
	 */
	private static final class AliasTrackingParser implements Parser {

		private final Parser delegate;

		private final Set<String> collectionAnchors = new HashSet<>();

		private int firstCollectionAliasLine;

		private long documentStart = -1;

		private final LineCountingReader lines;

		AliasTrackingParser(Parser delegate, LineCountingReader lines) {
			this.delegate = delegate;
			this.lines = lines;
		}

		long documentStart() {
			return this.documentStart;
		}

		int firstCollectionAliasLine() {
			return this.firstCollectionAliasLine;
		}

		@Override
		public boolean checkEvent(Event.ID choice) {
			return this.delegate.checkEvent(choice);
		}

		@Override
		public Event peekEvent() {
			return this.delegate.peekEvent();
		}

		@Override
		public Event getEvent() {
			Event event = this.delegate.getEvent();
			if (event instanceof CollectionStartEvent start && start.getAnchor() != null) {
				this.collectionAnchors.add(start.getAnchor());
			}
			else if (event instanceof AliasEvent alias && this.firstCollectionAliasLine == 0
					&& this.collectionAnchors.contains(alias.getAnchor())) {
				this.firstCollectionAliasLine = line(alias.getStartMark());
			}
			else if (event.is(Event.ID.DocumentStart)) {
				this.collectionAnchors.clear();
				this.firstCollectionAliasLine = 0;
				this.documentStart = event.getStartMark().getIndex();
				this.lines.forgetBefore(this.documentStart);
			}
			return event;
		}

	}

}
