package io.github.istiosecurity.internal.extauthz;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.istiosecurity.internal.load.GoDuration;
import org.jspecify.annotations.Nullable;

/**
 * One extension provider of the mesh configuration
 * ({@code meshConfig.extensionProviders[]}), an {@code envoyExtAuthzHttp} or
 * {@code envoyExtAuthzGrpc} entry, checked as istiod checks it and with istiod's defaults
 * filled in (§3.18): a 600 s timeout, {@code statusOnError} 403, {@code failOpen} false.
 *
 * @param name the name CUSTOM policies give as {@code provider.name}
 * @param protocol how the authorizer is asked
 * @param host the host of {@code service} (a {@code <namespace>/} prefix dropped): a
 * Kubernetes service name, any DNS name or an IP address
 * @param port the port
 * @param timeout how long one check may take
 * @param failOpen whether a failed check lets the request through
 * @param statusOnError the status of the denial when a check fails
 * @param body how much of the request body the authorizer gets, or {@code null} for none
 * @param pathPrefix HTTP: prefix of the check request's path
 * @param includeRequestHeaders HTTP: request headers sent besides {@code Host},
 * {@code :method}, {@code :path}, {@code Authorization} and {@code Content-Length}
 * @param additionalHeaders HTTP: fixed headers added to the check request
 * @param upstreamOnAllow HTTP: headers of an allowing answer set on the request
 * @param downstreamOnDeny HTTP: headers of a denying answer sent to the client; empty for
 * all but {@code Host}
 * @param downstreamOnAllow HTTP: headers of an allowing answer added to the response
 */
public record ProviderSettings(String name, Protocol protocol, String host, int port, Duration timeout,
		boolean failOpen, int statusOnError, @Nullable RequestBody body, String pathPrefix,
		HeaderNamePatterns includeRequestHeaders, Map<String, String> additionalHeaders,
		HeaderNamePatterns upstreamOnAllow, HeaderNamePatterns downstreamOnDeny, HeaderNamePatterns downstreamOnAllow) {

	/** istiod's default timeout of a check ({@code timeoutOrDefault}). */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

	/** Envoy's default {@code status_on_error}: 403 Forbidden. */
	public static final int DEFAULT_STATUS_ON_ERROR = 403;

	/**
	 * The codes of Envoy's {@code envoy.type.v3.StatusCode}, the only ones istiod takes
	 * for statusOnError.
	 */
	private static final Set<Integer> ENVOY_STATUS_CODES = Set.of(100, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
			300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412,
			413, 414, 415, 416, 417, 421, 422, 423, 424, 426, 428, 429, 431, 500, 501, 502, 503, 504, 505, 506, 507,
			508, 510, 511);

	public ProviderSettings {
		additionalHeaders = Map.copyOf(additionalHeaders);
	}

	/** How an authorizer is asked. */
	public enum Protocol {

		/** Envoy's HTTP ext_authz protocol ({@code envoyExtAuthzHttp}). */
		HTTP("envoyExtAuthzHttp"),

		/**
		 * {@code envoy.service.auth.v3.Authorization/Check} over gRPC
		 * ({@code envoyExtAuthzGrpc}).
		 */
		GRPC("envoyExtAuthzGrpc");

		private final String field;

		Protocol(String field) {
			this.field = field;
		}

		/**
		 * Returns the field of the mesh configuration that declares a provider of this
		 * kind.
		 * @return the field name
		 */
		public String field() {
			return this.field;
		}

	}

	/**
	 * {@code includeRequestBodyInCheck}: the request body sent with a check.
	 *
	 * @param maxRequestBytes how many bytes of the body are held and sent
	 * @param allowPartialMessage whether a longer body is cut to {@code maxRequestBytes}
	 * (else it gets 413)
	 * @param packAsBytes gRPC: the body as bytes ({@code raw_body}) rather than as a
	 * string ({@code body})
	 */
	public record RequestBody(int maxRequestBytes, boolean allowPartialMessage, boolean packAsBytes) {
	}

	/**
	 * Describes the provider for logs: its kind and address.
	 * @return for example {@code envoyExtAuthzGrpc opa.opa-system.svc.cluster.local:9191}
	 */
	public String describe() {
		return this.protocol.field() + " " + this.host + ":" + this.port;
	}

	/**
	 * Starts the settings of one provider.
	 * @param where the provider's place in the configuration, for errors (e.g.
	 * {@code istio.security.extension-providers[0]})
	 * @return a builder
	 */
	public static Builder builder(String where) {
		return new Builder(where);
	}

	/**
	 * Collects one provider's fields as written and checks them as istiod does
	 * ({@code ValidateExtensionProviderEnvoyExtAuthzHTTP}/{@code GRPC},
	 * {@code buildExtAuthzHTTP}).
	 */
	public static final class Builder {

		private final String where;

		private final List<String> problems = new ArrayList<>();

		private @Nullable String name;

		private @Nullable Protocol protocol;

		private @Nullable String service;

		private @Nullable Integer port;

		private @Nullable String timeout;

		private boolean failOpen;

		private @Nullable String statusOnError;

		private @Nullable RequestBody body;

		private @Nullable String pathPrefix;

		private List<String> includeRequestHeaders = List.of();

		private Map<String, String> additionalHeaders = Map.of();

		private List<String> upstreamOnAllow = List.of();

		private List<String> downstreamOnDeny = List.of();

		private List<String> downstreamOnAllow = List.of();

		private Builder(String where) {
			this.where = where;
		}

		/**
		 * Sets {@code name}.
		 * @param name the name policies give as {@code provider.name}
		 * @return this builder
		 */
		public Builder name(@Nullable String name) {
			this.name = name;
			return this;
		}

		/**
		 * Sets the kind: the field ({@code envoyExtAuthzHttp} or
		 * {@code envoyExtAuthzGrpc}) the entry sets.
		 * @param protocol the kind
		 * @return this builder
		 */
		public Builder protocol(Protocol protocol) {
			if (this.protocol != null && this.protocol != protocol) {
				this.problems.add("sets both envoy-ext-authz-http and envoy-ext-authz-grpc; a provider is one of them");
			}
			this.protocol = protocol;
			return this;
		}

		/**
		 * Sets {@code service}.
		 * @param service {@code [<namespace>/]<hostname>}
		 * @return this builder
		 */
		public Builder service(@Nullable String service) {
			this.service = service;
			return this;
		}

		/**
		 * Sets {@code port}.
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(@Nullable Integer port) {
			this.port = port;
			return this;
		}

		/**
		 * Sets {@code timeout}.
		 * @param timeout a duration of the mesh configuration ({@code 0.5s}), or
		 * {@code null} for istiod's default
		 * @return this builder
		 */
		public Builder timeout(@Nullable String timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Sets {@code failOpen}.
		 * @param failOpen whether a failed check lets the request through
		 * @return this builder
		 */
		public Builder failOpen(boolean failOpen) {
			this.failOpen = failOpen;
			return this;
		}

		/**
		 * Sets {@code statusOnError}.
		 * @param statusOnError the status as written, or {@code null} for 403
		 * @return this builder
		 */
		public Builder statusOnError(@Nullable String statusOnError) {
			this.statusOnError = statusOnError;
			return this;
		}

		/**
		 * Sets {@code includeRequestBodyInCheck}.
		 * @param body the body settings, or {@code null} for none
		 * @return this builder
		 */
		public Builder body(@Nullable RequestBody body) {
			this.body = body;
			return this;
		}

		/**
		 * Sets {@code pathPrefix} (HTTP).
		 * @param pathPrefix the prefix, or {@code null}
		 * @return this builder
		 */
		public Builder pathPrefix(@Nullable String pathPrefix) {
			this.pathPrefix = pathPrefix;
			return this;
		}

		/**
		 * Sets {@code includeRequestHeadersInCheck} (HTTP).
		 * @param headers the header patterns
		 * @return this builder
		 */
		public Builder includeRequestHeaders(List<String> headers) {
			this.includeRequestHeaders = List.copyOf(headers);
			return this;
		}

		/**
		 * Sets {@code includeAdditionalHeadersInCheck} (HTTP).
		 * @param headers the fixed headers
		 * @return this builder
		 */
		public Builder additionalHeaders(Map<String, String> headers) {
			this.additionalHeaders = new LinkedHashMap<>(headers);
			return this;
		}

		/**
		 * Sets {@code headersToUpstreamOnAllow} (HTTP).
		 * @param headers the header patterns
		 * @return this builder
		 */
		public Builder upstreamOnAllow(List<String> headers) {
			this.upstreamOnAllow = List.copyOf(headers);
			return this;
		}

		/**
		 * Sets {@code headersToDownstreamOnDeny} (HTTP).
		 * @param headers the header patterns
		 * @return this builder
		 */
		public Builder downstreamOnDeny(List<String> headers) {
			this.downstreamOnDeny = List.copyOf(headers);
			return this;
		}

		/**
		 * Sets {@code headersToDownstreamOnAllow} (HTTP).
		 * @param headers the header patterns
		 * @return this builder
		 */
		public Builder downstreamOnAllow(List<String> headers) {
			this.downstreamOnAllow = List.copyOf(headers);
			return this;
		}

		/**
		 * Checks the fields and builds the settings.
		 * @return the settings
		 * @throws IllegalArgumentException naming the provider and every problem found
		 */
		public ProviderSettings build() {
			String name = (this.name != null) ? this.name.trim() : "";
			if (name.isEmpty()) {
				this.problems.add("name must not be empty");
			}
			Protocol protocol = this.protocol;
			if (protocol == null) {
				this.problems.add("sets neither envoy-ext-authz-http nor envoy-ext-authz-grpc");
				// reported below; the other fields are checked as those of an HTTP
				// provider meanwhile
				protocol = Protocol.HTTP;
			}
			String prefix = (protocol == Protocol.GRPC) ? "envoy-ext-authz-grpc." : "envoy-ext-authz-http.";
			String host = host(prefix);
			int port = (this.port != null) ? this.port : 0;
			if (port < 1 || port > 65535) {
				this.problems.add(prefix + "port must be in the range [1, 65535], found: " + port);
			}
			Duration timeout = parsedTimeout(prefix);
			int statusOnError = parsedStatusOnError(prefix);
			String pathPrefix = (this.pathPrefix != null) ? this.pathPrefix : "";
			if (!pathPrefix.isEmpty()) {
				if (!pathPrefix.startsWith("/")) {
					this.problems.add(prefix + "path-prefix must begin with '/', found: \"" + pathPrefix + "\"");
				}
				try {
					new URI(pathPrefix);
				}
				catch (URISyntaxException ex) {
					this.problems.add(prefix + "path-prefix is not a valid path: " + ex.getReason());
				}
			}
			if (this.body != null && this.body.maxRequestBytes() < 0) {
				this.problems.add(prefix + "include-request-body-in-check.max-request-bytes must not be negative");
			}
			HeaderNamePatterns include = patterns(this.includeRequestHeaders,
					prefix + "include-request-headers-in-check");
			HeaderNamePatterns upstream = patterns(this.upstreamOnAllow, prefix + "headers-to-upstream-on-allow");
			HeaderNamePatterns onDeny = patterns(this.downstreamOnDeny, prefix + "headers-to-downstream-on-deny");
			HeaderNamePatterns onAllow = patterns(this.downstreamOnAllow, prefix + "headers-to-downstream-on-allow");
			if (!this.problems.isEmpty()) {
				throw new IllegalArgumentException(
						this.where + " (extension provider '" + name + "'): " + String.join("; ", this.problems));
			}
			return new ProviderSettings(name, protocol, host, port, timeout, this.failOpen, statusOnError, this.body,
					pathPrefix, include, this.additionalHeaders, upstream, onDeny, onAllow);
		}

		/**
		 * {@code [<namespace>/]<hostname>}: the host name resolves as DNS does (a
		 * Kubernetes service name).
		 */
		private String host(String prefix) {
			String service = (this.service != null) ? this.service.trim() : "";
			int slash = service.indexOf('/');
			String host = (slash >= 0) ? service.substring(slash + 1) : service;
			if (host.isEmpty()) {
				this.problems.add(prefix + "service must not be empty");
			}
			else if (host.indexOf('/') >= 0 || host.indexOf('*') >= 0
					|| host.chars().anyMatch(Character::isWhitespace)) {
				this.problems.add(prefix + "service must be [<namespace>/]<hostname>, found: \"" + service + "\"");
			}
			return host;
		}

		private Duration parsedTimeout(String prefix) {
			if (this.timeout == null || this.timeout.isBlank()) {
				return DEFAULT_TIMEOUT;
			}
			Long nanos = GoDuration.parseNanos(this.timeout.trim());
			if (nanos == null || nanos <= 0) {
				this.problems.add(prefix + "timeout must be a positive duration such as 0.5s or 10s, found: \""
						+ this.timeout + "\"");
				return DEFAULT_TIMEOUT;
			}
			return Duration.ofNanos(nanos);
		}

		private int parsedStatusOnError(String prefix) {
			if (this.statusOnError == null || this.statusOnError.isBlank()) {
				return DEFAULT_STATUS_ON_ERROR;
			}
			try {
				int status = Integer.parseInt(this.statusOnError.trim());
				if (ENVOY_STATUS_CODES.contains(status)) {
					return status;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			this.problems.add(prefix + "status-on-error " + this.statusOnError + " is not one of Envoy's status codes");
			return DEFAULT_STATUS_ON_ERROR;
		}

		private HeaderNamePatterns patterns(List<String> patterns, String field) {
			try {
				return HeaderNamePatterns.of(patterns, field);
			}
			catch (IllegalArgumentException ex) {
				this.problems.add(ex.getMessage());
				return HeaderNamePatterns.NONE;
			}
		}

	}

}
