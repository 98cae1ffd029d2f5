package io.github.istiosecurity.internal.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.Condition;
import io.github.istiosecurity.model.Operation;
import io.github.istiosecurity.model.Rule;
import io.github.istiosecurity.model.Source;

/**
 * Lints the rules of one AuthorizationPolicy that applies to this workload: attributes
 * that no request can carry here (a request principal without any JWT rule, an issuer no
 * JWT rule has, a peer identity without client certificate authentication), {@code hosts}
 * values with a port, and paths that normalization rules out.
 */
final class RuleLint {

	private static final String NO_JWT = "no RequestAuthentication applies to this workload, so no request has "
			+ "a request principal or JWT claims";

	private static final String NO_PEER_IDENTITY = "no peer identity source is configured (TLS client "
			+ "authentication of this server: server.ssl.client-auth=want or need; or trusted proxies' "
			+ "istio.security.forwarded-client-cert), so no request has a peer identity";

	private static final Set<String> PEER_KEYS = Set.of("source.principal", "source.namespace", "source.serviceAccount",
			"source.trustDomain");

	private final LintFindings findings;

	private final PathLint paths;

	private final boolean peerIdentity;

	private final Set<String> issuers;

	/**
	 * Creates a lint for the rules of the applying policies.
	 * @param findings where findings go
	 * @param paths the path lint of the normalization in force
	 * @param peerIdentity whether requests can carry a peer identity
	 * @param issuers the issuers of the JWT rules that apply to this workload
	 */
	RuleLint(LintFindings findings, PathLint paths, boolean peerIdentity, Set<String> issuers) {
		this.findings = findings;
		this.paths = paths;
		this.peerIdentity = peerIdentity;
		this.issuers = issuers;
	}

	void check(AuthorizationPolicy policy) {
		for (int i = 0; i < policy.rules().size(); i++) {
			Rule rule = policy.rules().get(i);
			String rulePath = "spec.rules[" + i + "]";
			for (int j = 0; j < rule.from().size(); j++) {
				checkSource(policy, rule.from().get(j), rulePath + ".from[" + j + "].source.");
			}
			for (int j = 0; j < rule.to().size(); j++) {
				checkOperation(policy, rule.to().get(j), rulePath + ".to[" + j + "].operation.");
			}
			for (int k = 0; k < rule.when().size(); k++) {
				checkCondition(policy, rule.when().get(k), rulePath + ".when[" + k + "]");
			}
		}
	}

	private void checkSource(AuthorizationPolicy policy, Source source, String path) {
		requestPrincipals(policy, source.requestPrincipals(), path + "requestPrincipals", false);
		requestPrincipals(policy, source.notRequestPrincipals(), path + "notRequestPrincipals", true);
		peer(policy, source.principals(), path, "principals", false);
		peer(policy, source.notPrincipals(), path, "notPrincipals", true);
		peer(policy, source.namespaces(), path, "namespaces", false);
		peer(policy, source.notNamespaces(), path, "notNamespaces", true);
		peer(policy, source.serviceAccounts(), path, "serviceAccounts", false);
		peer(policy, source.notServiceAccounts(), path, "notServiceAccounts", true);
		peer(policy, source.trustDomains(), path, "trustDomains", false);
		peer(policy, source.notTrustDomains(), path, "notTrustDomains", true);
	}

	private void requestPrincipals(AuthorizationPolicy policy, List<String> values, String field, boolean negative) {
		if (values.isEmpty()) {
			return;
		}
		String name = field.substring(field.lastIndexOf('.') + 1);
		if (this.issuers.isEmpty()) {
			this.findings.addOncePerPolicy(policy, name, field, name + ": " + NO_JWT + consequence(name, negative));
			return;
		}
		for (int i = 0; i < values.size(); i++) {
			unknownIssuer(policy, values.get(i), field + "[" + i + "]", name);
		}
	}

	/**
	 * §3.11: a value is split at its last '/' into the issuer and the subject; an issuer
	 * without wildcard must be one that a JWT rule verifies, or no request principal ever
	 * has it.
	 */
	private void unknownIssuer(AuthorizationPolicy policy, String value, String field, String name) {
		int slash = value.lastIndexOf('/');
		if (slash < 0) {
			return;
		}
		String issuer = value.substring(0, slash);
		if (issuer.contains("*") || this.issuers.contains(issuer)) {
			return;
		}
		this.findings.add(policy, field,
				name + " value \"" + value + "\" names issuer \"" + issuer
						+ "\", which no RequestAuthentication that applies to this workload has (issuers: "
						+ String.join(", ", this.issuers) + "): no request principal ever has it");
	}

	private void peer(AuthorizationPolicy policy, List<String> values, String path, String name, boolean negative) {
		if (!values.isEmpty() && !this.peerIdentity) {
			this.findings.addOncePerPolicy(policy, "peer identity", path + name,
					name + ": " + NO_PEER_IDENTITY + consequence(name, negative));
		}
	}

	private void checkOperation(AuthorizationPolicy policy, Operation operation, String path) {
		hosts(policy, operation.hosts(), path + "hosts");
		hosts(policy, operation.notHosts(), path + "notHosts");
		paths(policy, operation.paths(), path + "paths");
		paths(policy, operation.notPaths(), path + "notPaths");
	}

	/**
	 * §3.8: {@code hosts} is matched against the Host header as received, port included,
	 * so a value with a port matches only requests whose Host names that port (Istio
	 * advises listing {@code example.com} and {@code example.com:*}).
	 */
	private void hosts(AuthorizationPolicy policy, List<String> values, String field) {
		for (int i = 0; i < values.size(); i++) {
			String value = values.get(i);
			int colon = portSeparator(value);
			if (colon < 0 || containsIgnoringCase(values, value.substring(0, colon))) {
				continue;
			}
			String host = value.substring(0, colon);
			String port = value.substring(colon + 1);
			String name = field.substring(field.lastIndexOf('.') + 1);
			this.findings.add(policy, field + "[" + i + "]",
					name + " value \"" + value + "\" has a port: the Host header is matched as received, so only "
							+ "requests whose Host carries " + (port.equals("*") ? "a port" : "port " + port)
							+ " match (a client sending \"Host: " + host + "\" does not); list \"" + host
							+ "\" as well if it is meant");
		}
	}

	/**
	 * Returns the index of the ':' before a port ({@code :8080} or {@code :*}), or -1; an
	 * IPv6 literal only counts in brackets.
	 */
	private static int portSeparator(String value) {
		int colon = value.lastIndexOf(':');
		if (colon <= 0 || colon == value.length() - 1) {
			return -1;
		}
		String host = value.substring(0, colon);
		if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
			return -1;
		}
		String port = value.substring(colon + 1);
		if (port.equals("*")) {
			return colon;
		}
		for (int i = 0; i < port.length(); i++) {
			if (port.charAt(i) < '0' || port.charAt(i) > '9') {
				return -1;
			}
		}
		return colon;
	}

	private static boolean containsIgnoringCase(List<String> values, String host) {
		String lower = host.toLowerCase(Locale.ROOT);
		return values.stream().anyMatch((value) -> value.toLowerCase(Locale.ROOT).equals(lower));
	}

	private void paths(AuthorizationPolicy policy, List<String> values, String field) {
		for (int i = 0; i < values.size(); i++) {
			String reason = this.paths.neverMatches(values.get(i));
			if (reason != null) {
				String name = field.substring(field.lastIndexOf('.') + 1);
				this.findings.add(policy, field + "[" + i + "]", name + " value " + reason);
			}
		}
	}

	private void checkCondition(AuthorizationPolicy policy, Condition condition, String path) {
		String key = condition.key();
		boolean negative = condition.values().isEmpty();
		if (key.startsWith("request.auth.")) {
			if (this.issuers.isEmpty()) {
				this.findings.addOncePerPolicy(policy, "request.auth", path + ".key",
						"when " + key + ": " + NO_JWT + conditionConsequence(negative));
			}
			else if (key.equals("request.auth.principal")) {
				for (int i = 0; i < condition.values().size(); i++) {
					unknownIssuer(policy, condition.values().get(i), path + ".values[" + i + "]", "when " + key);
				}
			}
		}
		else if (PEER_KEYS.contains(key) && !this.peerIdentity) {
			this.findings.addOncePerPolicy(policy, "peer identity", path + ".key",
					"when " + key + ": " + NO_PEER_IDENTITY + conditionConsequence(negative));
		}
	}

	/**
	 * §3.10: a missing attribute never matches a value, and always satisfies a negated
	 * field.
	 */
	private static String consequence(String name, boolean negative) {
		return negative ? ": every request satisfies " + name : ": " + name + " never matches";
	}

	private static String conditionConsequence(boolean negative) {
		return negative ? ": its notValues always hold" : ": its values never match";
	}

}
