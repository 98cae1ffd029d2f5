package io.github.istiosecurity.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.PathNormalization;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of Istio security enforcement, under {@code istio.security}.
 */
@ConfigurationProperties("istio.security")
public class IstioSecurityProperties {

	/**
	 * The default of {@code policy-locations}; it may match nothing without a warning.
	 */
	static final List<String> DEFAULT_POLICY_LOCATIONS = List.of("classpath*:istio/*.yaml");

	/**
	 * Whether to enforce Istio security policies. When false, nothing of this starter is
	 * installed.
	 */
	private boolean enabled = true;

	/**
	 * Spring resource locations or patterns of the policy YAML files, e.g.
	 * "classpath*:istio/*.yaml" or "file:/etc/istio/*.yaml".
	 */
	private List<String> policyLocations = new ArrayList<>(DEFAULT_POLICY_LOCATIONS);

	/**
	 * Whether start-up fails, and a reload is refused, when the policies would let every
	 * request through unchecked: a policy location matches no file, AuthorizationPolicies
	 * were loaded but none applies to this workload, or no policy applies at all. When
	 * false, each of these is logged as a warning.
	 */
	private boolean requirePolicies = false;

	/**
	 * Namespace of the Istio mesh configuration's root: policies there apply to every
	 * workload.
	 */
	private String rootNamespace = "istio-system";

	/**
	 * Number of X-Forwarded-For hops to trust when deriving remote.ip, as Istio's
	 * numTrustedProxies. With 0 the right-most X-Forwarded-For address is used, as a
	 * sidecar does.
	 */
	private int numTrustedProxies = 0;

	/**
	 * How request paths are normalized before matching (and for the application), as
	 * Istio's meshConfig.pathNormalization.
	 */
	private PathNormalization pathNormalization = PathNormalization.BASE;

	/**
	 * Trust domain of the mesh, as Istio's meshConfig.trustDomain: the "<trust-domain>"
	 * of peer identities spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>. A
	 * principal "cluster.local/ns/..." in a policy stands for this trust domain and its
	 * aliases.
	 */
	private String trustDomain = "cluster.local";

	/**
	 * Other trust domains this mesh's peers may come from, as Istio's
	 * meshConfig.trustDomainAliases (e.g. while migrating to a new trust domain): a
	 * policy principal in any of them, or in "cluster.local", matches a peer of every
	 * one.
	 */
	private List<String> trustDomainAliases = new ArrayList<>();

	/**
	 * Extension providers that AuthorizationPolicies of action CUSTOM delegate to by
	 * provider.name, as Istio's meshConfig.extensionProviders: each an
	 * envoy-ext-authz-http or envoy-ext-authz-grpc entry, whose fields are those of the
	 * mesh configuration (a provider block of the mesh can be copied).
	 */
	private List<ExtensionProvider> extensionProviders = new ArrayList<>();

	/**
	 * How many CUSTOM checks of one extension provider may wait for its authorizer at
	 * once. A check beyond them fails at once (status-on-error, or allowed when the
	 * provider fails open), so that a slow or dead authorizer cannot hold every worker
	 * thread, and with them the requests that no CUSTOM rule matches.
	 */
	private int maxConcurrentCustomChecks = 64;

	private final Workload workload = new Workload();

	private final ForwardedClientCert forwardedClientCert = new ForwardedClientCert();

	private final Jwt jwt = new Jwt();

	private final Reload reload = new Reload();

	private final Kubernetes kubernetes = new Kubernetes();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public List<String> getPolicyLocations() {
		return this.policyLocations;
	}

	public void setPolicyLocations(List<String> policyLocations) {
		this.policyLocations = policyLocations;
	}

	public boolean isRequirePolicies() {
		return this.requirePolicies;
	}

	public void setRequirePolicies(boolean requirePolicies) {
		this.requirePolicies = requirePolicies;
	}

	public String getRootNamespace() {
		return this.rootNamespace;
	}

	public void setRootNamespace(String rootNamespace) {
		this.rootNamespace = rootNamespace;
	}

	public int getNumTrustedProxies() {
		return this.numTrustedProxies;
	}

	public void setNumTrustedProxies(int numTrustedProxies) {
		this.numTrustedProxies = numTrustedProxies;
	}

	public PathNormalization getPathNormalization() {
		return this.pathNormalization;
	}

	public void setPathNormalization(PathNormalization pathNormalization) {
		this.pathNormalization = pathNormalization;
	}

	public String getTrustDomain() {
		return this.trustDomain;
	}

	public void setTrustDomain(String trustDomain) {
		this.trustDomain = trustDomain;
	}

	public List<String> getTrustDomainAliases() {
		return this.trustDomainAliases;
	}

	public void setTrustDomainAliases(List<String> trustDomainAliases) {
		this.trustDomainAliases = trustDomainAliases;
	}

	public List<ExtensionProvider> getExtensionProviders() {
		return this.extensionProviders;
	}

	public void setExtensionProviders(List<ExtensionProvider> extensionProviders) {
		this.extensionProviders = extensionProviders;
	}

	public int getMaxConcurrentCustomChecks() {
		return this.maxConcurrentCustomChecks;
	}

	public void setMaxConcurrentCustomChecks(int maxConcurrentCustomChecks) {
		this.maxConcurrentCustomChecks = maxConcurrentCustomChecks;
	}

	public Workload getWorkload() {
		return this.workload;
	}

	public ForwardedClientCert getForwardedClientCert() {
		return this.forwardedClientCert;
	}

	public Jwt getJwt() {
		return this.jwt;
	}

	public Reload getReload() {
		return this.reload;
	}

	public Kubernetes getKubernetes() {
		return this.kubernetes;
	}

	/**
	 * One extension provider, as an entry of Istio's meshConfig.extensionProviders: a
	 * name and either envoy-ext-authz-http or envoy-ext-authz-grpc.
	 */
	public static class ExtensionProvider {

		/**
		 * Name that CUSTOM AuthorizationPolicies give as provider.name.
		 */
		private @Nullable String name;

		/**
		 * An authorizer that speaks Envoy's HTTP ext_authz protocol.
		 */
		private @Nullable EnvoyExtAuthzHttp envoyExtAuthzHttp;

		/**
		 * An authorizer that implements envoy.service.auth.v3.Authorization over gRPC.
		 */
		private @Nullable EnvoyExtAuthzGrpc envoyExtAuthzGrpc;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable EnvoyExtAuthzHttp getEnvoyExtAuthzHttp() {
			return this.envoyExtAuthzHttp;
		}

		public void setEnvoyExtAuthzHttp(@Nullable EnvoyExtAuthzHttp envoyExtAuthzHttp) {
			this.envoyExtAuthzHttp = envoyExtAuthzHttp;
		}

		public @Nullable EnvoyExtAuthzGrpc getEnvoyExtAuthzGrpc() {
			return this.envoyExtAuthzGrpc;
		}

		public void setEnvoyExtAuthzGrpc(@Nullable EnvoyExtAuthzGrpc envoyExtAuthzGrpc) {
			this.envoyExtAuthzGrpc = envoyExtAuthzGrpc;
		}

	}

	/**
	 * The fields both kinds of extension provider share.
	 */
	public abstract static class EnvoyExtAuthz {

		/**
		 * Service of the authorizer, [<namespace>/]<hostname>: a Kubernetes service name
		 * such as opa.opa-system.svc.cluster.local, any host name, or an IP address.
		 */
		private @Nullable String service;

		/**
		 * Port of the service.
		 */
		private @Nullable Integer port;

		/**
		 * How long one check may take, as a duration of the mesh configuration (e.g.
		 * 0.5s, 10s); when it expires the check has failed. Istio's default is 600s.
		 */
		private @Nullable String timeout;

		/**
		 * Whether a request is allowed when the check fails (no connection, timeout, a
		 * 5xx answer). When false it gets status-on-error.
		 */
		private boolean failOpen;

		/**
		 * Status of the reply to a request whose check failed. Istio's default is 403.
		 */
		private @Nullable String statusOnError;

		/**
		 * Accepted so that a mesh block can be copied; it has no effect here, since the
		 * application routes on its own.
		 */
		private boolean clearRouteCache;

		private @Nullable RequestBody includeRequestBodyInCheck;

		public @Nullable String getService() {
			return this.service;
		}

		public void setService(@Nullable String service) {
			this.service = service;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable String timeout) {
			this.timeout = timeout;
		}

		public boolean isFailOpen() {
			return this.failOpen;
		}

		public void setFailOpen(boolean failOpen) {
			this.failOpen = failOpen;
		}

		public @Nullable String getStatusOnError() {
			return this.statusOnError;
		}

		public void setStatusOnError(@Nullable String statusOnError) {
			this.statusOnError = statusOnError;
		}

		public boolean isClearRouteCache() {
			return this.clearRouteCache;
		}

		public void setClearRouteCache(boolean clearRouteCache) {
			this.clearRouteCache = clearRouteCache;
		}

		public @Nullable RequestBody getIncludeRequestBodyInCheck() {
			return this.includeRequestBodyInCheck;
		}

		public void setIncludeRequestBodyInCheck(@Nullable RequestBody includeRequestBodyInCheck) {
			this.includeRequestBodyInCheck = includeRequestBodyInCheck;
		}

	}

	/**
	 * An envoyExtAuthzHttp provider of the mesh configuration.
	 */
	public static class EnvoyExtAuthzHttp extends EnvoyExtAuthz {

		/**
		 * Prefix of the check request's path: "/check" sends a check of "/admin" to
		 * "/check/admin".
		 */
		private @Nullable String pathPrefix;

		/**
		 * Request headers sent to the authorizer besides Host, Method, Path,
		 * Authorization and Content-Length: exact names, "prefix*" or "*suffix", ignoring
		 * case.
		 */
		private List<String> includeRequestHeadersInCheck = new ArrayList<>();

		/**
		 * Deprecated by Istio in favour of include-request-headers-in-check, and only
		 * read when that is empty.
		 */
		private List<String> includeHeadersInCheck = new ArrayList<>();

		/**
		 * Fixed headers added to every check request, overriding request headers of the
		 * same name.
		 */
		private Map<String, String> includeAdditionalHeadersInCheck = new LinkedHashMap<>();

		/**
		 * Headers of an allowing answer (200) that are set on the request before JWT
		 * authentication, AuthorizationPolicies and the application see it: exact names,
		 * "prefix*" or "*suffix".
		 */
		private List<String> headersToUpstreamOnAllow = new ArrayList<>();

		/**
		 * Headers of a denying answer sent to the client with its status and body; when
		 * empty, all of them but Host. Location and WWW-Authenticate are always sent.
		 */
		private List<String> headersToDownstreamOnDeny = new ArrayList<>();

		/**
		 * Headers of an allowing answer (200) that are added to the application's
		 * response.
		 */
		private List<String> headersToDownstreamOnAllow = new ArrayList<>();

		public @Nullable String getPathPrefix() {
			return this.pathPrefix;
		}

		public void setPathPrefix(@Nullable String pathPrefix) {
			this.pathPrefix = pathPrefix;
		}

		public List<String> getIncludeRequestHeadersInCheck() {
			return this.includeRequestHeadersInCheck;
		}

		public void setIncludeRequestHeadersInCheck(List<String> includeRequestHeadersInCheck) {
			this.includeRequestHeadersInCheck = includeRequestHeadersInCheck;
		}

		public List<String> getIncludeHeadersInCheck() {
			return this.includeHeadersInCheck;
		}

		public void setIncludeHeadersInCheck(List<String> includeHeadersInCheck) {
			this.includeHeadersInCheck = includeHeadersInCheck;
		}

		public Map<String, String> getIncludeAdditionalHeadersInCheck() {
			return this.includeAdditionalHeadersInCheck;
		}

		public void setIncludeAdditionalHeadersInCheck(Map<String, String> includeAdditionalHeadersInCheck) {
			this.includeAdditionalHeadersInCheck = includeAdditionalHeadersInCheck;
		}

		public List<String> getHeadersToUpstreamOnAllow() {
			return this.headersToUpstreamOnAllow;
		}

		public void setHeadersToUpstreamOnAllow(List<String> headersToUpstreamOnAllow) {
			this.headersToUpstreamOnAllow = headersToUpstreamOnAllow;
		}

		public List<String> getHeadersToDownstreamOnDeny() {
			return this.headersToDownstreamOnDeny;
		}

		public void setHeadersToDownstreamOnDeny(List<String> headersToDownstreamOnDeny) {
			this.headersToDownstreamOnDeny = headersToDownstreamOnDeny;
		}

		public List<String> getHeadersToDownstreamOnAllow() {
			return this.headersToDownstreamOnAllow;
		}

		public void setHeadersToDownstreamOnAllow(List<String> headersToDownstreamOnAllow) {
			this.headersToDownstreamOnAllow = headersToDownstreamOnAllow;
		}

	}

	/**
	 * An envoyExtAuthzGrpc provider of the mesh configuration.
	 */
	public static class EnvoyExtAuthzGrpc extends EnvoyExtAuthz {

	}

	/**
	 * includeRequestBodyInCheck: the request body sent with a check.
	 */
	public static class RequestBody {

		/**
		 * How many bytes of the body are held and sent to the authorizer.
		 */
		private int maxRequestBytes;

		/**
		 * Whether a longer body is sent cut to max-request-bytes (with
		 * x-envoy-auth-partial-body: true); when false, such a request gets 413.
		 */
		private boolean allowPartialMessage;

		/**
		 * gRPC: whether the body goes as bytes (raw_body) rather than as a UTF-8 string
		 * (body).
		 */
		private boolean packAsBytes;

		public int getMaxRequestBytes() {
			return this.maxRequestBytes;
		}

		public void setMaxRequestBytes(int maxRequestBytes) {
			this.maxRequestBytes = maxRequestBytes;
		}

		public boolean isAllowPartialMessage() {
			return this.allowPartialMessage;
		}

		public void setAllowPartialMessage(boolean allowPartialMessage) {
			this.allowPartialMessage = allowPartialMessage;
		}

		public boolean isPackAsBytes() {
			return this.packAsBytes;
		}

		public void setPackAsBytes(boolean packAsBytes) {
			this.packAsBytes = packAsBytes;
		}

	}

	/**
	 * The workload the policies protect.
	 */
	public static class Workload {

		/**
		 * Namespace of this application. Policies of this namespace and of the root
		 * namespace apply; policy documents without a namespace belong to it.
		 */
		private String namespace = "default";

		/**
		 * Labels of this application, matched against policies' selector.matchLabels.
		 */
		private Map<String, String> labels = new LinkedHashMap<>();

		public String getNamespace() {
			return this.namespace;
		}

		public void setNamespace(String namespace) {
			this.namespace = namespace;
		}

		public Map<String, String> getLabels() {
			return this.labels;
		}

		public void setLabels(Map<String, String> labels) {
			this.labels = labels;
		}

	}

	/**
	 * Peer identity from the X-Forwarded-Client-Cert header of a proxy that terminated
	 * mutual TLS (a gateway or a sidecar). Whoever can reach the application with this
	 * header can claim any identity, so it is read only when enabled and only from the
	 * trusted proxies' addresses.
	 */
	public static class ForwardedClientCert {

		/**
		 * Whether the peer identity of a request from a trusted proxy is read from its
		 * X-Forwarded-Client-Cert header (the URI= entries of the last element, the one
		 * that proxy appended) instead of the connection's client certificate. When false
		 * the header is ignored.
		 */
		private boolean enabled = false;

		/**
		 * Addresses or CIDR blocks of the proxies whose X-Forwarded-Client-Cert header is
		 * believed, matched against the connection's peer address (never
		 * X-Forwarded-For), e.g. "10.0.0.0/8" or "127.0.0.1".
		 */
		private List<String> trustedProxies = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getTrustedProxies() {
			return this.trustedProxies;
		}

		public void setTrustedProxies(List<String> trustedProxies) {
			this.trustedProxies = trustedProxies;
		}

	}

	/**
	 * JWT verification (RequestAuthentication).
	 */
	public static class Jwt {

		/**
		 * Clock skew allowed when checking exp and nbf; Envoy's default is 60 seconds.
		 */
		private Duration clockSkew = Duration.ofSeconds(60);

		/**
		 * How often remote key sets (jwksUri) are refreshed; istiod's default is 20
		 * minutes.
		 */
		private Duration jwksRefreshInterval = Duration.ofMinutes(20);

		/**
		 * Time budget of one key set fetch, unless a jwtRule sets its own timeout.
		 */
		private Duration jwksFetchTimeout = Duration.ofSeconds(5);

		/**
		 * Maximum number of verified tokens kept so that a repeated token is not verified
		 * again. 0 disables the cache.
		 */
		private long verifiedTokenCacheSize = 10_000;

		/**
		 * Maximum heap the verified tokens may hold, estimated from each token's length,
		 * parsed claims and what its requests are decided with (principal, claims as
		 * matched, headers); whichever of this and verified-token-cache-size is reached
		 * first evicts the least recently used tokens. 0 disables the cache.
		 */
		private DataSize verifiedTokenCacheMaxMemory = DataSize.ofMegabytes(16);

		public Duration getClockSkew() {
			return this.clockSkew;
		}

		public void setClockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
		}

		public Duration getJwksRefreshInterval() {
			return this.jwksRefreshInterval;
		}

		public void setJwksRefreshInterval(Duration jwksRefreshInterval) {
			this.jwksRefreshInterval = jwksRefreshInterval;
		}

		public Duration getJwksFetchTimeout() {
			return this.jwksFetchTimeout;
		}

		public void setJwksFetchTimeout(Duration jwksFetchTimeout) {
			this.jwksFetchTimeout = jwksFetchTimeout;
		}

		public long getVerifiedTokenCacheSize() {
			return this.verifiedTokenCacheSize;
		}

		public void setVerifiedTokenCacheSize(long verifiedTokenCacheSize) {
			this.verifiedTokenCacheSize = verifiedTokenCacheSize;
		}

		public DataSize getVerifiedTokenCacheMaxMemory() {
			return this.verifiedTokenCacheMaxMemory;
		}

		public void setVerifiedTokenCacheMaxMemory(DataSize verifiedTokenCacheMaxMemory) {
			this.verifiedTokenCacheMaxMemory = verifiedTokenCacheMaxMemory;
		}

	}

	/**
	 * Live reload of file-based policy locations.
	 */
	public static class Reload {

		/**
		 * Whether to re-read policy locations and apply valid changes while the
		 * application runs.
		 */
		private boolean enabled = true;

		/**
		 * How often policy locations are checked for changes.
		 */
		private Duration interval = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * Policies from the Kubernetes API (needs a fabric8 KubernetesClient, e.g. from
	 * spring-cloud-kubernetes-fabric8-autoconfig).
	 */
	public static class Kubernetes {

		/**
		 * Whether to read AuthorizationPolicy, RequestAuthentication and
		 * PeerAuthentication objects from the Kubernetes API and follow their changes.
		 * Defaults to on when the application runs in Kubernetes.
		 */
		private @Nullable Boolean enabled;

		/**
		 * How long start-up waits for the first complete list of policies. When it
		 * expires, start-up fails rather than serve with an incomplete set.
		 */
		private Duration syncTimeout = Duration.ofSeconds(30);

		/**
		 * Name of this application's pod, whose labels are the workload labels. Defaults
		 * to the POD_NAME environment variable, then HOSTNAME (a pod's host name is its
		 * name).
		 */
		private @Nullable String podName;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getSyncTimeout() {
			return this.syncTimeout;
		}

		public void setSyncTimeout(Duration syncTimeout) {
			this.syncTimeout = syncTimeout;
		}

		public @Nullable String getPodName() {
			return this.podName;
		}

		public void setPodName(@Nullable String podName) {
			this.podName = podName;
		}

	}

}
