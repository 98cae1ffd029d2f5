package io.github.istiosecurity.internal.load;

import java.util.List;

import io.github.istiosecurity.internal.authz.match.PathTemplate;

/**
 * Istio's webhook validation of an {@code AuthorizationPolicy} spec
 * ({@code ValidateAuthorizationPolicy}, §3.2), rule by rule, with its messages and
 * warnings. It runs on the decoded tree even when the schema found problems, skipping
 * values of the wrong type (the schema reported them), so that every problem is reported
 * at once.
 */
final class AuthorizationPolicyValidator {

	private static final String MEANINGLESS = " action without `rules` is meaningless as it will never be triggered, "
			+ "add an empty rule `{}` if you want it be triggered for every request";

	/** Source fields CUSTOM does not support, with the names Istio's messages use. */
	private static final String[][] CUSTOM_UNSUPPORTED_SOURCE = { { "namespaces", "From.Namespaces" },
			{ "notNamespaces", "From.NotNamespaces" }, { "serviceAccounts", "From.ServiceAccounts" },
			{ "notServiceAccounts", "From.NotServiceAccounts" }, { "trustDomains", "From.TrustDomains" },
			{ "notTrustDomains", "From.NotTrustDomains" }, { "principals", "From.Principals" },
			{ "notPrincipals", "From.NotPrincipals" }, { "requestPrincipals", "From.RequestPrincipals" },
			{ "notRequestPrincipals", "From.NotRequestPrincipals" } };

	private static final String[] SOURCE_FIELDS = { "principals", "notPrincipals", "requestPrincipals",
			"notRequestPrincipals", "namespaces", "notNamespaces", "serviceAccounts", "notServiceAccounts", "ipBlocks",
			"notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "trustDomains", "notTrustDomains" };

	private static final String[] OPERATION_FIELDS = { "hosts", "notHosts", "ports", "notPorts", "methods",
			"notMethods", "paths", "notPaths" };

	private final Problems problems;

	private final String specPath;

	private final String action;

	private AuthorizationPolicyValidator(Problems problems, String specPath, String action) {
		this.problems = problems;
		this.specPath = specPath;
		this.action = action;
	}

	/**
	 * Validates a spec.
	 * @param spec the spec
	 * @param specPath the path of the spec
	 * @param problems where problems are reported
	 */
	static void validate(YamlNode.Mapping spec, String specPath, Problems problems) {
		String action = (spec.string("action") != null) ? spec.string("action") : "ALLOW";
		new AuthorizationPolicyValidator(problems, specPath, action).validate(spec);
	}

	private void validate(YamlNode.Mapping spec) {
		SelectorValidator.validate(spec, this.specPath, this.problems, true);
		// jsonpb leaves an empty list nil, so "rules: []" counts as absent.
		YamlNode.Sequence rules = spec.sequence("rules");
		boolean rulesAbsent = !spec.hasValue("rules") || (rules != null && rules.items().isEmpty());
		YamlNode.Entry provider = spec.entries().get("provider");
		String providerPath = Schema.child(this.specPath, "provider");
		if (this.action.equals("CUSTOM")) {
			if (rulesAbsent) {
				this.problems.error(spec.line(), this.specPath, "CUSTOM" + MEANINGLESS);
			}
			else {
				YamlNode.Mapping providerMap = spec.mapping("provider");
				String name = (providerMap != null) ? providerMap.string("name") : null;
				if (name == null || name.isEmpty()) {
					this.problems.error((provider != null) ? provider.keyLine() : spec.line(), providerPath,
							"`provider.name` must not be empty");
				}
			}
		}
		else if (provider != null && spec.hasValue("provider")) {
			this.problems.error(provider.keyLine(), providerPath,
					"`provider` must not be with non CUSTOM action, found " + this.action);
		}
		if (this.action.equals("DENY") && rulesAbsent) {
			this.problems.error(spec.line(), this.specPath, "DENY" + MEANINGLESS);
		}
		if (rules != null) {
			for (int i = 0; i < rules.items().size(); i++) {
				String rulePath = Schema.child(this.specPath, "rules") + "[" + i + "]";
				YamlNode rule = rules.items().get(i);
				if (rule instanceof YamlNode.Mapping ruleMap) {
					validateRule(ruleMap, rulePath, i);
				}
				else {
					this.problems.error(rule.line(), rulePath, "`rule` must not be nil, found at rule " + i);
				}
			}
		}
	}

	private void validateRule(YamlNode.Mapping rule, String rulePath, int index) {
		YamlNode.Sequence from = rule.sequence("from");
		if (from != null) {
			for (int j = 0; j < from.items().size(); j++) {
				String fromPath = rulePath + ".from[" + j + "]";
				YamlNode item = from.items().get(j);
				if (!(item instanceof YamlNode.Mapping fromMap)) {
					this.problems.error(item.line(), fromPath, "`from` must not be nil, found at rule " + index);
					continue;
				}
				YamlNode.Entry source = fromMap.entries().get("source");
				if (source == null || !fromMap.hasValue("source")) {
					this.problems.error(fromMap.line(), fromPath,
							"`from.source` must not be nil, found at rule " + index);
					continue;
				}
				if (source.value() instanceof YamlNode.Mapping sourceMap) {
					validateSource(sourceMap, fromPath + ".source", index);
				}
			}
		}
		YamlNode.Sequence to = rule.sequence("to");
		if (to != null) {
			for (int j = 0; j < to.items().size(); j++) {
				String toPath = rulePath + ".to[" + j + "]";
				YamlNode item = to.items().get(j);
				if (!(item instanceof YamlNode.Mapping toMap)) {
					this.problems.error(item.line(), toPath, "`to` must not be nil, found at rule " + index);
					continue;
				}
				YamlNode.Entry operation = toMap.entries().get("operation");
				if (operation == null || !toMap.hasValue("operation")) {
					this.problems.error(toMap.line(), toPath, "`to.operation` must not be nil, found at rule " + index);
					continue;
				}
				if (operation.value() instanceof YamlNode.Mapping operationMap) {
					validateOperation(operationMap, toPath + ".operation", index);
				}
			}
		}
		YamlNode.Sequence when = rule.sequence("when");
		if (when != null) {
			for (int k = 0; k < when.items().size(); k++) {
				if (when.items().get(k) instanceof YamlNode.Mapping condition) {
					validateCondition(condition, rulePath + ".when[" + k + "]");
				}
			}
		}
		// Istio warns about a DENY rule with only HTTP attributes (§3.2): a sidecar
		// cannot evaluate them on a TCP
		// port and denies all its traffic. Every request here is HTTP, so that warning is
		// not shown.
	}

	/**
	 * Validates a source.
	 */
	private void validateSource(YamlNode.Mapping source, String path, int index) {
		if (this.action.equals("CUSTOM")) {
			for (String[] field : CUSTOM_UNSUPPORTED_SOURCE) {
				if (!values(source, field[0]).isEmpty()) {
					error(source, field[0], path, field[1] + " is currently not supported with CUSTOM action");
				}
			}
		}
		if ((count(source, "principals", "notPrincipals", "namespaces", "notNamespaces") > 0)
				&& (count(source, "serviceAccounts", "notServiceAccounts") > 0)) {
			this.problems.error(source.line(), path,
					"cannot set serviceAccounts with namespaces or principals, found at rule " + index);
		}
		if (count(source, SOURCE_FIELDS) == 0) {
			this.problems.error(source.line(), path, "`from.source` must not be empty, found at rule " + index);
		}
		for (String field : new String[] { "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks" }) {
			for (String message : ValueChecks.ips(values(source, field))) {
				error(source, field, path, message);
			}
		}
		for (String field : SOURCE_FIELDS) {
			String istioName = Character.toUpperCase(field.charAt(0)) + field.substring(1);
			String message = switch (field) {
				case "serviceAccounts", "notServiceAccounts" ->
					ValueChecks.serviceAccounts(istioName, values(source, field));
				case "trustDomains", "notTrustDomains" ->
					ValueChecks.trustDomainValues(istioName, values(source, field));
				default -> ValueChecks.emptyValues(istioName, values(source, field));
			};
			if (message != null) {
				error(source, field, path, message);
			}
		}
	}

	/**
	 * Validates an operation.
	 */
	private void validateOperation(YamlNode.Mapping operation, String path, int index) {
		if (count(operation, OPERATION_FIELDS) == 0) {
			this.problems.error(operation.line(), path, "`to.operation` must not be empty, found at rule " + index);
		}
		for (String field : new String[] { "ports", "notPorts" }) {
			for (String message : ValueChecks.ports(values(operation, field))) {
				error(operation, field, path, message);
			}
		}
		for (String field : OPERATION_FIELDS) {
			String istioName = Character.toUpperCase(field.charAt(0)) + field.substring(1);
			String message = ValueChecks.emptyValues(istioName, values(operation, field));
			if (message != null) {
				error(operation, field, path, message);
			}
		}
		for (String field : new String[] { "paths", "notPaths" }) {
			String istioName = Character.toUpperCase(field.charAt(0)) + field.substring(1);
			for (String value : values(operation, field)) {
				String message = PathTemplate.validate(value, istioName);
				if (message != null) {
					error(operation, field, path, message);
					break;
				}
			}
		}
	}

	private void validateCondition(YamlNode.Mapping condition, String path) {
		String key = condition.string("key");
		if (key == null) {
			return;
		}
		if (this.action.equals("CUSTOM") && isCustomUnsupported(key)) {
			this.problems.error(condition.keyLine("key"), path + ".key",
					key + " is currently not supported with CUSTOM action");
		}
		if (key.isEmpty()) {
			this.problems.error(condition.keyLine("key"), path + ".key", "`key` must not be empty");
			return;
		}
		List<String> values = values(condition, "values");
		List<String> notValues = values(condition, "notValues");
		if (values.isEmpty() && notValues.isEmpty()) {
			this.problems.error(condition.line(), path,
					"at least one of `values` or `notValues` must be set for key " + key);
			return;
		}
		String keyProblem = ValueChecks.attributeKey(key);
		if (keyProblem != null) {
			String kind = values.isEmpty() ? "notValue" : "value";
			this.problems.error(condition.keyLine("key"), path + ".key",
					"invalid `" + kind + "` for `key` " + key + ": " + keyProblem);
			return;
		}
		for (String message : ValueChecks.attributeValues(key, values)) {
			error(condition, "values", path, "invalid `value` for `key` " + key + ": " + message);
		}
		for (String message : ValueChecks.attributeValues(key, notValues)) {
			error(condition, "notValues", path, "invalid `notValue` for `key` " + key + ": " + message);
		}
	}

	private static boolean isCustomUnsupported(String key) {
		return key.equals("source.namespace") || key.equals("source.serviceAccount") || key.equals("source.trustDomain")
				|| key.equals("source.principal") || key.startsWith("request.auth.");
	}

	private void error(YamlNode.Mapping parent, String field, String parentPath, String message) {
		this.problems.error(parent.keyLine(field), parentPath + "." + field, message);
	}

	private static List<String> values(YamlNode.Mapping parent, String field) {
		YamlNode.Sequence sequence = parent.sequence(field);
		return (sequence != null) ? sequence.strings() : List.of();
	}

	/** How many of the fields are non-empty lists (jsonpb leaves empty lists nil). */
	private static int count(YamlNode.Mapping parent, String... fields) {
		int count = 0;
		for (String field : fields) {
			YamlNode.Sequence sequence = parent.sequence(field);
			if (sequence != null && !sequence.items().isEmpty()) {
				count++;
			}
		}
		return count;
	}

}
