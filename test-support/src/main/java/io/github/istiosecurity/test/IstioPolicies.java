package io.github.istiosecurity.test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.check.CheckRequest;
import io.github.istiosecurity.check.CheckResult;
import io.github.istiosecurity.check.PolicyCheck;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.authz.explain.PolicyExplainer;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.JwtSettings;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.internal.load.LoaderSettings;
import io.github.istiosecurity.internal.load.PolicyLoadException;
import io.github.istiosecurity.internal.load.PolicyLoader;
import io.github.istiosecurity.internal.runtime.MisconfigurationException;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.runtime.ResourcePolicySource;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.RemoteAddresses;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Istio policies in force for a test, without a server: the policy files are loaded,
 * validated and compiled by the application's own code, and {@link #check(CheckRequest)}
 * decides a request through the same steps as a real one (path normalization, CUSTOM,
 * JWT, AUDIT/DENY/ALLOW). Assert the result with
 * {@link IstioAssertions#assertThat(CheckResult)}. <pre class="code">
 * try (IstioPolicies policies = IstioPolicies.fromApplicationProperties("classpath:application.yml").build()) {
 *     assertThat(policies.check(IstioRequests.post("/post").principal("testing@secure.istio.io/user1")))
 *         .isDeniedByDefault();
 * }
 * </pre> Unlike the starter, the policies are required by default: a policy location that
 * matches no file, or policies of which none applies to the workload, fail
 * {@link Builder#build()} rather than letting every request through.
 */
public final class IstioPolicies implements AutoCloseable {

	/** The starter's default {@code istio.security.policy-locations}. */
	static final List<String> DEFAULT_POLICY_LOCATIONS = List.of("classpath*:istio/*.yaml");

	private final PolicyCheck check;

	private final @Nullable JwksKeySources keySources;

	private IstioPolicies(PolicyCheck check, @Nullable JwksKeySources keySources) {
		this.check = check;
		this.keySources = keySources;
	}

	/**
	 * Starts policies with the starter's defaults: locations
	 * {@code classpath*:istio/*.yaml}, namespace {@code default} without labels, root
	 * namespace {@code istio-system}, trust domain {@code cluster.local}, path
	 * normalization {@code BASE}.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts policies configured as the application configures the starter: the
	 * {@code istio.security.*} properties of the given files ({@code .yml}, {@code .yaml}
	 * or {@code .properties}; later files win, as {@code spring.config.location} does).
	 * Only these files are read: no profile-specific document or file, no environment
	 * variable or system property. Adjust the result before {@link Builder#build()}, e.g.
	 * to point {@code file:} locations at test copies.
	 * @param locations Spring resource locations, e.g. {@code classpath:application.yml}
	 * @return a builder holding the application's settings
	 * @throws IllegalArgumentException when a file cannot be read or a property has an
	 * invalid value
	 * @throws IllegalStateException when the files set
	 * {@code istio.security.enabled=false}
	 */
	public static Builder fromApplicationProperties(String... locations) {
		return ApplicationProperties.read(List.of(locations));
	}

	/**
	 * Uses the policies of a running application, e.g. the {@link PolicyCheck} bean of a
	 * {@code @SpringBootTest}: its configuration, its policies as currently in force
	 * (reloads included) and its extension authorizers.
	 * @param check the application's check
	 * @return policies that check through it; closing them leaves the application alone
	 */
	public static IstioPolicies of(PolicyCheck check) {
		return new IstioPolicies(Objects.requireNonNull(check, "check"), null);
	}

	/**
	 * Decides a hypothetical request.
	 * @param request the request
	 * @return the decision with its explanation
	 * @throws IllegalArgumentException when the request is inconsistent (a principal that
	 * disagrees with the claims, an address that is not an IP address)
	 */
	public CheckResult check(CheckRequest request) {
		return this.check.check(request);
	}

	/**
	 * Decides a hypothetical request, as built so far.
	 * @param request the request builder, e.g. from {@link IstioRequests#get(String)}
	 * @return the decision with its explanation
	 */
	public CheckResult check(CheckRequest.Builder request) {
		return check(request.build());
	}

	/**
	 * Stops background key-set fetches ({@code jwksUri}) of policies this object loaded.
	 */
	@Override
	public void close() {
		if (this.keySources != null) {
			this.keySources.close();
		}
	}

	/**
	 * Builds {@link IstioPolicies}: where the policies are, the workload they protect,
	 * and the mesh and JWT settings, each defaulting as the starter's
	 * {@code istio.security.*} property does.
	 */
	public static final class Builder {

		private @Nullable List<String> policyLocations;

		private String namespace = "default";

		private final Map<String, String> labels = new LinkedHashMap<>();

		private String rootNamespace = "istio-system";

		private PathNormalization pathNormalization = PathNormalization.BASE;

		private String trustDomain = MeshSettings.DEFAULTS.trustDomain();

		private final List<String> trustDomainAliases = new ArrayList<>();

		private Duration clockSkew = Duration.ofSeconds(60);

		private Duration jwksRefreshInterval = Duration.ofMinutes(20);

		private Duration jwksFetchTimeout = Duration.ofSeconds(5);

		private Clock clock = Clock.systemUTC();

		private boolean requirePolicies = true;

		private final Map<String, ExtensionAuthorizer> authorizers = new LinkedHashMap<>();

		Builder() {
		}

		/**
		 * Sets where the policy files are ({@code istio.security.policy-locations}),
		 * replacing any earlier locations.
		 * @param locations Spring resource locations or patterns: {@code classpath:},
		 * {@code classpath*:}, {@code file:}, with globs
		 * @return this builder
		 */
		public Builder policyLocations(String... locations) {
			return policyLocations(List.of(locations));
		}

		/**
		 * Sets where the policy files are ({@code istio.security.policy-locations}),
		 * replacing any earlier locations.
		 * @param locations Spring resource locations or patterns
		 * @return this builder
		 */
		public Builder policyLocations(List<String> locations) {
			if (locations.isEmpty()) {
				throw new IllegalArgumentException("Give at least one policy location");
			}
			this.policyLocations = new ArrayList<>(locations);
			return this;
		}

		/**
		 * Sets the workload's namespace ({@code istio.security.workload.namespace});
		 * documents without a namespace belong to it.
		 * @param namespace the namespace
		 * @return this builder
		 */
		public Builder namespace(String namespace) {
			this.namespace = Objects.requireNonNull(namespace, "namespace");
			return this;
		}

		/**
		 * Adds a workload label ({@code istio.security.workload.labels}).
		 * @param name the label name
		 * @param value the label value
		 * @return this builder
		 */
		public Builder label(String name, String value) {
			this.labels.put(name, value);
			return this;
		}

		/**
		 * Sets the workload's labels, replacing any earlier ones.
		 * @param labels the labels
		 * @return this builder
		 */
		public Builder labels(Map<String, String> labels) {
			this.labels.clear();
			this.labels.putAll(labels);
			return this;
		}

		/**
		 * Sets the mesh's root namespace ({@code istio.security.root-namespace}), whose
		 * policies apply to every workload.
		 * @param rootNamespace the namespace
		 * @return this builder
		 */
		public Builder rootNamespace(String rootNamespace) {
			this.rootNamespace = Objects.requireNonNull(rootNamespace, "rootNamespace");
			return this;
		}

		/**
		 * Sets how paths are normalized before matching
		 * ({@code istio.security.path-normalization}).
		 * @param pathNormalization the normalization
		 * @return this builder
		 */
		public Builder pathNormalization(PathNormalization pathNormalization) {
			this.pathNormalization = Objects.requireNonNull(pathNormalization, "pathNormalization");
			return this;
		}

		/**
		 * Sets the mesh's trust domain ({@code istio.security.trust-domain}), the
		 * {@code <trust-domain>} of peer identities
		 * {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}.
		 * @param trustDomain the trust domain
		 * @return this builder
		 */
		public Builder trustDomain(String trustDomain) {
			this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
			return this;
		}

		/**
		 * Sets the other trust domains peers may come from
		 * ({@code istio.security.trust-domain-aliases}), replacing any earlier ones.
		 * @param aliases the trust domain aliases
		 * @return this builder
		 */
		public Builder trustDomainAliases(List<String> aliases) {
			this.trustDomainAliases.clear();
			this.trustDomainAliases.addAll(aliases);
			return this;
		}

		/**
		 * Sets the clock skew allowed for {@code exp} and {@code nbf}
		 * ({@code istio.security.jwt.clock-skew}).
		 * @param clockSkew the skew
		 * @return this builder
		 */
		public Builder clockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
			return this;
		}

		/**
		 * Sets how often a {@code jwksUri} key set is refreshed
		 * ({@code istio.security.jwt.jwks-refresh-interval}).
		 * @param jwksRefreshInterval the interval
		 * @return this builder
		 */
		public Builder jwksRefreshInterval(Duration jwksRefreshInterval) {
			this.jwksRefreshInterval = jwksRefreshInterval;
			return this;
		}

		/**
		 * Sets the time budget of one key-set fetch
		 * ({@code istio.security.jwt.jwks-fetch-timeout}).
		 * @param jwksFetchTimeout the timeout
		 * @return this builder
		 */
		public Builder jwksFetchTimeout(Duration jwksFetchTimeout) {
			this.jwksFetchTimeout = jwksFetchTimeout;
			return this;
		}

		/**
		 * Sets the clock tokens' {@code exp} and {@code nbf} are checked against, e.g. a
		 * fixed clock for tokens committed with the test.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * Sets whether {@link #build()} fails when the policies would let every request
		 * through unchecked: a chosen location matches no file, AuthorizationPolicies
		 * were loaded but none applies to the workload, or no policy applies at all. True
		 * by default, unlike the starter's {@code istio.security.require-policies}: a
		 * test of policies that protect nothing is a mistake.
		 * @param requirePolicies whether policies are required
		 * @return this builder
		 */
		public Builder requirePolicies(boolean requirePolicies) {
			this.requirePolicies = requirePolicies;
			return this;
		}

		/**
		 * Adds the extension authorizer that CUSTOM policies naming it consult, as an
		 * {@link ExtensionAuthorizer} bean of the application.
		 * @param authorizer the authorizer
		 * @return this builder
		 * @throws IllegalArgumentException when an authorizer of the same name was added
		 */
		public Builder extensionAuthorizer(ExtensionAuthorizer authorizer) {
			if (this.authorizers.putIfAbsent(authorizer.name(), authorizer) != null) {
				throw new IllegalArgumentException(
						"An ExtensionAuthorizer named '" + authorizer.name() + "' was already added");
			}
			return this;
		}

		/**
		 * Loads, validates and compiles the policies.
		 * @return the policies in force; close them when done
		 * @throws PolicyLoadException when a policy is invalid, with every problem's
		 * file, line and field
		 * @throws MisconfigurationException when policies are required and those loaded
		 * protect nothing
		 */
		public IstioPolicies build() {
			Workload workload = new Workload(this.namespace, this.labels);
			PolicyLoader loader = new PolicyLoader(LoaderSettings.withDefaultNamespace(this.namespace));
			// as the starter: the default location may match nothing (policies from
			// elsewhere), a chosen one may not
			List<String> locations = this.policyLocations;
			boolean chosen = locations != null;
			ResourcePolicySource source = new ResourcePolicySource(
					(locations != null) ? locations : DEFAULT_POLICY_LOCATIONS, loader,
					new PathMatchingResourcePatternResolver(), chosen);
			MeshSettings mesh = new MeshSettings(this.rootNamespace, this.trustDomain, this.trustDomainAliases);
			PolicyCompiler compiler = new PolicyCompiler(workload, mesh, this.authorizers);
			JwtSettings settings = new JwtSettings(this.clockSkew, this.jwksRefreshInterval, this.jwksFetchTimeout,
					this.clock);
			JwksKeySources keySources = new JwksKeySources(settings);
			try {
				// no verified-token cache: every check verifies its token, on the clock
				// as it is now
				PolicyRuntime runtime = new PolicyRuntime(List.of(source), compiler, keySources,
						VerifiedTokenCache.disabled(), settings, this.requirePolicies);
				runtime.start();
				// remote.ip comes with the request (CheckRequest.remoteIp), not from
				// X-Forwarded-For
				InboundPipeline pipeline = new InboundPipeline(runtime, new PathNormalizer(this.pathNormalization),
						new RemoteAddresses(0));
				return new IstioPolicies(new PolicyCheck(pipeline, new PolicyExplainer(compiler)), keySources);
			}
			catch (RuntimeException ex) {
				keySources.close();
				throw ex;
			}
		}

	}

}
