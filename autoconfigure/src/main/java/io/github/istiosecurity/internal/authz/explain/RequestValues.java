package io.github.istiosecurity.internal.authz.explain;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.RequestAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Describes the request's value of an attribute for an explanation. The request line,
 * addresses and identities are shown; header and claim values never are (they may carry
 * secrets), only whether they are present.
 */
final class RequestValues {

	private static final String CLAIMS = "request.auth.claims";

	private RequestValues() {
	}

	/**
	 * Describes the value a field is tested against.
	 * @param name a field name ({@code paths}, {@code principals}, ...) or a {@code when}
	 * key
	 * @param request the request
	 * @return e.g. {@code path "/admin"} or
	 * {@code no request principal (no verified token)}
	 */
	static String describe(String name, RequestAttributes request) {
		return switch (name) {
			case "paths" -> "path " + quoted(request.path());
			case "methods" -> "method " + quoted(request.method());
			case "hosts" -> (request.host() != null) ? "host " + quoted(request.host()) : "no host";
			case "ports", "destination.port" -> "port " + request.destinationPort();
			case "ipBlocks", "source.ip" -> "source IP " + request.sourceIp();
			case "remoteIpBlocks", "remote.ip" -> "remote IP " + request.remoteIp();
			case "destination.ip" -> "destination IP " + request.destinationIp();
			case "requestPrincipals", "request.auth.principal" -> requestPrincipal(request.jwtClaims());
			case "principals", "namespaces", "serviceAccounts", "trustDomains", "source.principal", "source.namespace",
					"source.serviceAccount", "source.trustDomain" ->
				request.peerIdentities().isEmpty() ? "no peer identity (no verified client certificate)"
						: "peer identity " + request.peerIdentities();
			case "request.auth.audiences" -> claim(request.jwtClaims(), List.of("aud"));
			case "request.auth.presenter" -> claim(request.jwtClaims(), List.of("azp"));
			case "connection.sni" -> (request.sni() != null) ? "SNI " + quoted(request.sni()) : "no SNI";
			default -> other(name, request);
		};
	}

	private static String other(String key, RequestAttributes request) {
		if (key.startsWith("request.headers[") && key.endsWith("]")) {
			String header = key.substring("request.headers[".length(), key.length() - 1);
			// pseudo headers are the request line; other headers may carry credentials
			return switch (header) {
				case ":path" -> ":path " + quoted(request.pathWithQuery());
				case ":method" -> ":method " + quoted(request.method());
				case ":authority" -> ":authority " + quoted(String.valueOf(request.host()));
				default -> (request.header(header.toLowerCase(java.util.Locale.ROOT)) != null)
						? "header " + header + " (present, value not shown)" : "no header " + header;
			};
		}
		if (key.startsWith(CLAIMS + "[")) {
			List<String> path = List.of(key.substring(CLAIMS.length() + 1, key.length() - 1).split("\\]\\["));
			return claim(request.jwtClaims(), path);
		}
		if (key.startsWith("experimental.")) {
			return "Envoy metadata, which is never present in-process";
		}
		return key;
	}

	private static String requestPrincipal(@Nullable Map<String, Object> claims) {
		if (claims == null) {
			return "no request principal (no verified token)";
		}
		if (claims.get("iss") instanceof String issuer && claims.get("sub") instanceof String subject) {
			return "request principal " + quoted(issuer + "/" + subject);
		}
		return "no request principal (the token's iss or sub is not a string)";
	}

	private static String claim(@Nullable Map<String, Object> claims, List<String> path) {
		if (claims == null) {
			return "no verified token";
		}
		Object value = claims;
		for (String name : path) {
			value = (value instanceof Map<?, ?> map) ? map.get(name) : null;
		}
		String name = String.join(".", path);
		return (value != null) ? "claim " + name + " (present, value not shown)" : "no claim " + name;
	}

	private static String quoted(@Nullable String value) {
		return "\"" + value + "\"";
	}

}
