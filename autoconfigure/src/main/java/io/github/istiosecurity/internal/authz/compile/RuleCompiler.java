package io.github.istiosecurity.internal.authz.compile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.istiosecurity.internal.authz.engine.ClaimMatcher;
import io.github.istiosecurity.internal.authz.engine.IpAttributeMatcher;
import io.github.istiosecurity.internal.authz.engine.PeerIdentityMatcher;
import io.github.istiosecurity.internal.authz.engine.PortMatcher;
import io.github.istiosecurity.internal.authz.engine.RequestMatcher;
import io.github.istiosecurity.internal.authz.engine.RequestPrincipalMatcher;
import io.github.istiosecurity.internal.authz.engine.StringAttribute;
import io.github.istiosecurity.internal.authz.engine.StringAttributeMatcher;
import io.github.istiosecurity.internal.authz.match.IdentityPatterns;
import io.github.istiosecurity.internal.authz.match.IpBlock;
import io.github.istiosecurity.internal.authz.match.PathTemplate;
import io.github.istiosecurity.internal.authz.match.StringMatcher;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.Condition;
import io.github.istiosecurity.model.Operation;
import io.github.istiosecurity.model.Rule;
import io.github.istiosecurity.model.Source;
import org.jspecify.annotations.Nullable;

/**
 * Compiles one {@link Rule} into a {@link RequestMatcher}, keeping Istio's shape: rule,
 * then from/to/when, then one attribute check with values and notValues (§3.5).
 * <p>
 * A value that cannot be used (only possible when validation was bypassed, e.g. a policy
 * built in code) is handled as istiod's {@code checkError} does (§3.15): an ALLOW rule is
 * dropped whole, so the policy allows less; a DENY, AUDIT or CUSTOM rule loses only that
 * value, so it matches more. An unknown {@code when} key is an error.
 */
final class RuleCompiler {

	private static final String CLAIMS = "request.auth.claims";

	private final Action action;

	private final String policyNamespace;

	private final TrustDomainAliases trustDomains;

	private boolean unusable;

	private RuleCompiler(Action action, String policyNamespace, TrustDomainAliases trustDomains) {
		this.action = action;
		this.policyNamespace = policyNamespace;
		this.trustDomains = trustDomains;
	}

	/**
	 * Compiles a rule.
	 * @param rule the rule
	 * @param action the policy's action
	 * @param policyNamespace the policy's namespace (a bare service account belongs to
	 * it)
	 * @param trustDomains the mesh trust domains
	 * @return the matcher, or {@code null} when an ALLOW rule had to be dropped
	 * @throws IllegalArgumentException for an unknown {@code when} key
	 */
	static @Nullable RequestMatcher compile(Rule rule, Action action, String policyNamespace,
			TrustDomainAliases trustDomains) {
		RuleCompiler compiler = new RuleCompiler(action, policyNamespace, trustDomains);
		RequestMatcher matcher = compiler.rule(rule);
		return compiler.unusable ? null : matcher;
	}

	/**
	 * Returns literals one of which every path matched by the rule starts with, or
	 * {@code null} when the rule can match any path: each {@code to} operation must
	 * constrain {@code paths} with exact, prefix or template values (a suffix or
	 * {@code *} can match anything).
	 * @param rule the rule
	 * @return the prefixes, or {@code null}
	 */
	static String @Nullable [] pathPrefixes(Rule rule) {
		if (rule.to().isEmpty()) {
			return null;
		}
		List<String> prefixes = new ArrayList<>();
		for (Operation operation : rule.to()) {
			if (operation.paths().isEmpty()) {
				return null;
			}
			for (String value : operation.paths()) {
				String prefix;
				if (value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
					if (PathTemplate.validate(value, "Paths") != null) {
						return null;
					}
					prefix = value.substring(0, value.indexOf('{'));
				}
				else if (value.startsWith("*")) {
					return null;
				}
				else {
					prefix = value.endsWith("*") ? value.substring(0, value.length() - 1) : value;
				}
				if (prefix.isEmpty()) {
					return null;
				}
				prefixes.add(prefix);
			}
		}
		return prefixes.toArray(String[]::new);
	}

	/**
	 * Compiles a rule into its labelled parts, for explaining a decision: the same
	 * matchers as {@link #compile}, one per field, so that an explanation can say which
	 * field of which entry failed.
	 * @param rule the rule
	 * @param index the rule's index in {@code spec.rules}
	 * @param action the policy's action
	 * @param policyNamespace the policy's namespace
	 * @param trustDomains the mesh trust domains
	 * @return the rule's anatomy
	 */
	static RuleAnatomy anatomy(Rule rule, int index, Action action, String policyNamespace,
			TrustDomainAliases trustDomains) {
		RuleCompiler compiler = new RuleCompiler(action, policyNamespace, trustDomains);
		List<RuleAnatomy.Entry> to = new ArrayList<>();
		for (int i = 0; i < rule.to().size(); i++) {
			to.add(new RuleAnatomy.Entry("to[" + i + "].operation", compiler.operationFields(rule.to().get(i))));
		}
		List<RuleAnatomy.Entry> from = new ArrayList<>();
		for (int i = 0; i < rule.from().size(); i++) {
			from.add(new RuleAnatomy.Entry("from[" + i + "].source", compiler.sourceFields(rule.from().get(i))));
		}
		List<RuleAnatomy.Entry> when = new ArrayList<>();
		for (int i = 0; i < rule.when().size(); i++) {
			when.add(new RuleAnatomy.Entry("when[" + i + "]", compiler.conditionFields(rule.when().get(i))));
		}
		return new RuleAnatomy(index, compiler.unusable, to, from, when);
	}

	private RequestMatcher rule(Rule rule) {
		// cheap request-line checks first; the AND has no side effects, so the order is
		// free
		List<RequestMatcher> parts = new ArrayList<>(3);
		if (!rule.to().isEmpty()) {
			parts.add(RequestMatcher.anyOf(rule.to().stream().map(this::operation).toArray(RequestMatcher[]::new)));
		}
		if (!rule.from().isEmpty()) {
			parts.add(RequestMatcher.anyOf(rule.from().stream().map(this::source).toArray(RequestMatcher[]::new)));
		}
		for (Condition condition : rule.when()) {
			parts.add(allOf(conditionFields(condition)));
		}
		return RequestMatcher.allOf(parts.toArray(RequestMatcher[]::new));
	}

	private static RequestMatcher allOf(List<RuleAnatomy.Field> fields) {
		return RequestMatcher.allOf(fields.stream().map(RuleAnatomy.Field::matcher).toArray(RequestMatcher[]::new));
	}

	private RequestMatcher source(Source source) {
		return allOf(sourceFields(source));
	}

	private List<RuleAnatomy.Field> sourceFields(Source source) {
		List<RuleAnatomy.Field> fields = new ArrayList<>();
		field(fields, "principals", source.principals(), source.notPrincipals(), this::principals);
		field(fields, "requestPrincipals", source.requestPrincipals(), source.notRequestPrincipals(),
				(values) -> new RequestPrincipalMatcher(values.toArray(String[]::new)));
		field(fields, "namespaces", source.namespaces(), source.notNamespaces(), this::namespaces);
		field(fields, "serviceAccounts", source.serviceAccounts(), source.notServiceAccounts(), this::serviceAccounts);
		field(fields, "ipBlocks", source.ipBlocks(), source.notIpBlocks(),
				(values) -> ips(IpAttributeMatcher.Attribute.SOURCE, values));
		field(fields, "remoteIpBlocks", source.remoteIpBlocks(), source.notRemoteIpBlocks(),
				(values) -> ips(IpAttributeMatcher.Attribute.REMOTE, values));
		field(fields, "trustDomains", source.trustDomains(), source.notTrustDomains(), this::trustDomainMatcher);
		return fields;
	}

	private RequestMatcher operation(Operation operation) {
		return allOf(operationFields(operation));
	}

	private List<RuleAnatomy.Field> operationFields(Operation operation) {
		List<RuleAnatomy.Field> fields = new ArrayList<>();
		field(fields, "paths", operation.paths(), operation.notPaths(), this::paths);
		field(fields, "methods", operation.methods(), operation.notMethods(),
				(values) -> strings(StringAttribute.METHOD, values, StringMatcher.PRESENT));
		field(fields, "ports", operation.ports(), operation.notPorts(), this::ports);
		field(fields, "hosts", operation.hosts(), operation.notHosts(),
				(values) -> new StringAttributeMatcher(StringAttribute.HOST,
						values.stream().map(StringMatcher::ignoringCase).toArray(StringMatcher[]::new)));
		return fields;
	}

	private List<RuleAnatomy.Field> conditionFields(Condition condition) {
		Function<List<String>, @Nullable RequestMatcher> attribute = conditionAttribute(condition.key());
		List<RuleAnatomy.Field> fields = new ArrayList<>(2);
		field(fields, condition.key(), condition.values(), condition.notValues(), attribute);
		return fields;
	}

	/** The when keys of §3.9. */
	private Function<List<String>, @Nullable RequestMatcher> conditionAttribute(String key) {
		switch (key) {
			case "source.ip":
				return (values) -> ips(IpAttributeMatcher.Attribute.SOURCE, values);
			case "remote.ip":
				return (values) -> ips(IpAttributeMatcher.Attribute.REMOTE, values);
			case "destination.ip":
				return (values) -> ips(IpAttributeMatcher.Attribute.DESTINATION, values);
			case "destination.port":
				return this::ports;
			case "source.namespace":
				return this::namespaces;
			case "source.principal":
				return this::principals;
			case "source.serviceAccount":
				return this::serviceAccounts;
			case "source.trustDomain":
				return this::trustDomainMatcher;
			case "request.auth.principal":
				return (values) -> new RequestPrincipalMatcher(values.toArray(String[]::new));
			case "request.auth.audiences":
				return (values) -> claims(List.of("aud"), values);
			case "request.auth.presenter":
				return (values) -> claims(List.of("azp"), values);
			case "connection.sni":
				return (values) -> strings(StringAttribute.SNI, values, StringMatcher.NON_EMPTY);
			default:
				break;
		}
		if (key.startsWith("request.headers[") && key.endsWith("]") && key.length() > "request.headers[]".length()) {
			StringAttribute header = StringAttribute
				.header(key.substring("request.headers[".length(), key.length() - 1));
			return (values) -> strings(header, values, StringMatcher.PRESENT);
		}
		if (key.startsWith(CLAIMS + "[")) {
			List<String> path = bracketed(key.substring(CLAIMS.length()));
			if (path != null) {
				return (values) -> claims(path, values);
			}
		}
		if (key.startsWith("experimental.envoy.filters.") && key.endsWith("]") && key.indexOf('[') > 0) {
			// no Envoy dynamic metadata in-process: the attribute is always absent (§3.9)
			return (values) -> RequestMatcher.NEVER;
		}
		throw new IllegalArgumentException("unknown attribute: " + key);
	}

	/**
	 * Splits {@code [a][b]} into {@code [a, b]}, or returns null when the text is not of
	 * that form.
	 */
	private static @Nullable List<String> bracketed(String text) {
		List<String> path = new ArrayList<>();
		int i = 0;
		while (i < text.length()) {
			int close = text.indexOf(']', i);
			if (text.charAt(i) != '[' || close <= i + 1) {
				return null;
			}
			path.add(text.substring(i + 1, close));
			i = close + 1;
		}
		return path.isEmpty() ? null : path;
	}

	/**
	 * Adds {@code values} AND NOT {@code notValues} over one attribute (§3.5
	 * fieldMatches), each half as a field named {@code name} and {@code notName} (for a
	 * {@code when} key: the key, and {@code not key}).
	 */
	private void field(List<RuleAnatomy.Field> fields, String name, List<String> values, List<String> notValues,
			Function<List<String>, @Nullable RequestMatcher> attribute) {
		if (!values.isEmpty()) {
			RequestMatcher positive = attribute.apply(values);
			if (positive != null) {
				fields.add(new RuleAnatomy.Field(name, false, values, positive));
			}
		}
		if (!notValues.isEmpty()) {
			RequestMatcher negative = attribute.apply(notValues);
			if (negative != null) {
				fields.add(new RuleAnatomy.Field(name, true, notValues, RequestMatcher.not(negative)));
			}
		}
	}

	/**
	 * Records a value that cannot be used: the ALLOW rule is dropped, other actions just
	 * skip the value.
	 * @return {@code null}, for use in expressions
	 */
	private @Nullable RequestMatcher unusableValue() {
		if (this.action == Action.ALLOW) {
			this.unusable = true;
		}
		return null;
	}

	private @Nullable RequestMatcher strings(StringAttribute attribute, List<String> values, StringMatcher presence) {
		return new StringAttributeMatcher(attribute,
				values.stream().map((value) -> StringMatcher.of(value, presence)).toArray(StringMatcher[]::new));
	}

	private @Nullable RequestMatcher paths(List<String> values) {
		List<StringMatcher> matchers = new ArrayList<>();
		for (String value : values) {
			if (value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
				if (PathTemplate.validate(value, "Paths") != null) {
					unusableValue();
					continue;
				}
				matchers.add(new StringMatcher.Template(PathTemplate.compile(value)));
			}
			else {
				matchers.add(StringMatcher.of(value, StringMatcher.NON_EMPTY));
			}
		}
		return matchers.isEmpty() ? unusableValue()
				: new StringAttributeMatcher(StringAttribute.PATH, matchers.toArray(StringMatcher[]::new));
	}

	private @Nullable RequestMatcher ports(List<String> values) {
		int[] ports = new int[values.size()];
		int count = 0;
		for (String value : values) {
			int port = parsePort(value);
			if (port < 0) {
				unusableValue();
				continue;
			}
			ports[count++] = port;
		}
		return (count == 0) ? unusableValue() : new PortMatcher(java.util.Arrays.copyOf(ports, count));
	}

	private static int parsePort(String value) {
		if (value.isEmpty() || value.length() > 5) {
			return -1;
		}
		int port = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			port = port * 10 + (c - '0');
		}
		return (port > 65535) ? -1 : port;
	}

	private @Nullable RequestMatcher ips(IpAttributeMatcher.Attribute attribute, List<String> values) {
		List<IpBlock> blocks = new ArrayList<>();
		for (String value : values) {
			IpBlock block = IpBlock.parse(value);
			if (block == null) {
				unusableValue();
				continue;
			}
			blocks.add(block);
		}
		return blocks.isEmpty() ? unusableValue() : new IpAttributeMatcher(attribute, blocks.toArray(IpBlock[]::new));
	}

	private @Nullable RequestMatcher claims(List<String> path, List<String> values) {
		return new ClaimMatcher(path,
				values.stream()
					.map((value) -> StringMatcher.of(value, StringMatcher.NON_EMPTY))
					.toArray(StringMatcher[]::new));
	}

	private @Nullable RequestMatcher principals(List<String> values) {
		return new PeerIdentityMatcher("principals",
				this.trustDomains.principals(values)
					.stream()
					.map(IdentityPatterns::principal)
					.toArray(StringMatcher[]::new));
	}

	private @Nullable RequestMatcher namespaces(List<String> values) {
		return new PeerIdentityMatcher("namespaces",
				values.stream().map(IdentityPatterns::namespace).toArray(StringMatcher[]::new));
	}

	private @Nullable RequestMatcher serviceAccounts(List<String> values) {
		List<StringMatcher> patterns = new ArrayList<>();
		for (String value : values) {
			int slash = value.indexOf('/');
			String namespace = (slash < 0) ? this.policyNamespace : value.substring(0, slash);
			String name = value.substring(slash + 1);
			if (namespace.isEmpty() || name.isEmpty() || name.indexOf('/') >= 0 || value.indexOf('*') >= 0) {
				unusableValue();
				continue;
			}
			patterns.add(IdentityPatterns.serviceAccount(namespace, name));
		}
		return patterns.isEmpty() ? unusableValue()
				: new PeerIdentityMatcher("serviceAccounts", patterns.toArray(StringMatcher[]::new));
	}

	private @Nullable RequestMatcher trustDomainMatcher(List<String> values) {
		return new PeerIdentityMatcher("trustDomains",
				this.trustDomains.trustDomains(values)
					.stream()
					.map(IdentityPatterns::trustDomain)
					.toArray(StringMatcher[]::new));
	}

}
