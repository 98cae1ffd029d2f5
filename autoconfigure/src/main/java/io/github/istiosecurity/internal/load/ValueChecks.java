package io.github.istiosecurity.internal.load;

import java.util.ArrayList;
import java.util.List;

import io.github.istiosecurity.internal.authz.match.IpBlock;
import org.jspecify.annotations.Nullable;

/**
 * The value checks of Istio's {@code pkg/config/security/security.go} (§3.2, §3.9), with
 * its messages. Each returns the message of the first problem, or {@code null}.
 */
final class ValueChecks {

	private ValueChecks() {
	}

	/** {@code CheckEmptyValues}. */
	static @Nullable String emptyValues(String key, List<String> values) {
		for (String value : values) {
			if (value.isEmpty()) {
				return "empty value not allowed, found in " + key;
			}
		}
		return null;
	}

	/** {@code CheckWildcardValues}: at most one {@code *}, only first or last. */
	static @Nullable String wildcardValues(String key, List<String> values) {
		String empty = emptyValues(key, values);
		if (empty != null) {
			return empty;
		}
		for (String value : values) {
			long count = value.chars().filter((c) -> c == '*').count();
			if (count > 1) {
				return "at most one wildcard is allowed, found in " + key + ": \"" + value + "\"";
			}
			if (count == 1 && !value.equals("*") && !value.startsWith("*") && !value.endsWith("*")) {
				return "wildcard is only allowed at the start or end, found in " + key + ": \"" + value + "\"";
			}
		}
		return null;
	}

	/** {@code CheckTrustDomainValues}: wildcard rules, and no {@code /}. */
	static @Nullable String trustDomainValues(String key, List<String> values) {
		String wildcard = wildcardValues(key, values);
		if (wildcard != null) {
			return wildcard;
		}
		for (String value : values) {
			if (value.contains("/")) {
				return "trust domain must not contain '/', found in " + key + ": \"" + value + "\"";
			}
		}
		return null;
	}

	/**
	 * {@code CheckServiceAccount}: {@code sa} or {@code ns/sa}, no wildcard, at most 16
	 * of at most 320 chars.
	 */
	static @Nullable String serviceAccounts(String key, List<String> values) {
		if (values.size() > 16) {
			return "may not have more than 16 values";
		}
		for (String value : values) {
			if (value.isEmpty()) {
				return "empty value not allowed, found in " + key;
			}
			if (value.contains("*")) {
				return "wildcard not allowed, found in " + key;
			}
			int slashes = (int) value.chars().filter((c) -> c == '/').count();
			if (slashes > 1) {
				return "expected format 'serviceAccount' or 'namespace/serviceAccount', found \"" + value + "\" in "
						+ key;
			}
			if (value.length() > 320) {
				return "value cannot exceed 320 characters, found \"" + value + "\" in " + key;
			}
			int slash = value.indexOf('/');
			if (slash == 0) {
				return "expected format 'serviceAccount' or 'namespace/serviceAccount', found empty namespace \""
						+ value + "\" in " + key;
			}
			if (slash == value.length() - 1) {
				return "expected format 'serviceAccount' or 'namespace/serviceAccount', found empty serviceAccount \""
						+ value + "\" in " + key;
			}
		}
		return null;
	}

	/**
	 * {@code ValidateIPs}: every value an address or a CIDR, as Go's {@code netip} parses
	 * them.
	 */
	static List<String> ips(List<String> values) {
		List<String> errors = new ArrayList<>();
		for (String value : values) {
			if (IpBlock.parse(value) == null) {
				errors.add(value.contains("/") ? "bad CIDR range (" + value + ")" : "bad IP address (" + value + ")");
			}
		}
		return errors;
	}

	/** {@code ValidatePorts}: every value a decimal 0-65535. */
	static List<String> ports(List<String> values) {
		List<String> errors = new ArrayList<>();
		for (String value : values) {
			if (!isPort(value)) {
				errors.add("bad port (" + value + ")");
			}
		}
		return errors;
	}

	private static boolean isPort(String value) {
		// strconv.ParseUint(port, 10, 32): digits only (no sign), then <= 65535.
		if (value.isEmpty() || value.length() > 10) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			if (value.charAt(i) < '0' || value.charAt(i) > '9') {
				return false;
			}
		}
		return Long.parseLong(value) <= 65535;
	}

	/**
	 * The key half of {@code ValidateAttribute}: whether Istio knows the {@code when} key
	 * (§3.9).
	 * @param key the key
	 * @return the problem, or {@code null}
	 */
	static @Nullable String attributeKey(String key) {
		if (key.startsWith("request.headers") || key.startsWith("request.auth.claims")
				|| key.startsWith("experimental.envoy.filters.")) {
			return mapKey(key);
		}
		return switch (key) {
			case "source.ip", "remote.ip", "source.namespace", "source.serviceAccount", "source.principal",
					"source.trustDomain", "request.auth.principal", "request.auth.audiences", "request.auth.presenter",
					"destination.ip", "destination.port", "connection.sni" ->
				null;
			case "destination.namespace" -> "attribute " + key + " is replaced by the metadata.namespace";
			case "destination.name", "destination.user" ->
				"deprecated attribute " + key + ": only supported in v1alpha1";
			default -> key.startsWith("destination.labels")
					? "attribute " + key + " is replaced by the workload selector" : "unknown attribute: " + key;
		};
	}

	/**
	 * The value half of {@code ValidateAttribute}: the values a known key accepts.
	 * @param key the key
	 * @param values the values (or notValues)
	 * @return the problems
	 */
	static List<String> attributeValues(String key, List<String> values) {
		String empty = emptyValues(key, values);
		if (empty != null) {
			return List.of(empty);
		}
		String single = switch (key) {
			case "source.serviceAccount" -> serviceAccounts(key, values);
			case "source.trustDomain" -> wildcardValues(key, values);
			default -> null;
		};
		if (single != null) {
			return List.of(single);
		}
		return switch (key) {
			case "source.ip", "remote.ip", "destination.ip" -> ips(values);
			case "destination.port" -> ports(values);
			default -> List.of();
		};
	}

	/** {@code validateMapKey}: {@code a[b]} with a non-empty {@code b}. */
	private static @Nullable String mapKey(String key) {
		int open = key.indexOf('[');
		if (key.endsWith("]") && open > 0 && open < key.length() - 2) {
			return null;
		}
		return "bad key (" + key + "): should have format a[b]";
	}

}
