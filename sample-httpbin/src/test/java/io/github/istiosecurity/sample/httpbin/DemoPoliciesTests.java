package io.github.istiosecurity.sample.httpbin;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.compile.MeshSettings;
import io.github.istiosecurity.authz.compile.PolicyCompiler;
import io.github.istiosecurity.authz.compile.Workload;
import io.github.istiosecurity.authz.engine.PolicySnapshot;
import io.github.istiosecurity.load.LoadResult;
import io.github.istiosecurity.load.LoaderSettings;
import io.github.istiosecurity.load.PolicyLoader;
import io.github.istiosecurity.model.RequestAuthentication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo policies under {@code classpath:istio/} as Istio users wrote them: they load with no warning, the
 * inline JWKS is the committed one, and they apply to foo/httpbin only. What they decide is
 * {@link HttpbinPolicyTests}.
 */
class DemoPoliciesTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Workload HTTPBIN = new Workload("foo", Map.of("app", "httpbin"));

	private final LoadResult loaded = new PolicyLoader(LoaderSettings.defaults())
		.loadAll(List.of("classpath*:istio/*.yaml"), new PathMatchingResourcePatternResolver());

	@Test
	void policiesLoadWithoutWarnings() {
		assertThat(this.loaded.warnings()).isEmpty();
		assertThat(this.loaded.policies()).extracting((policy) -> policy.metadata().name())
			.containsExactlyInAnyOrder("jwt-example", "require-jwt");
	}

	@Test
	void inlineJwksIsTheCommittedPublicJwks() {
		RequestAuthentication authentication = this.loaded.policies()
			.stream()
			.filter(RequestAuthentication.class::isInstance)
			.map(RequestAuthentication.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(authentication.jwtRules()).singleElement().satisfies((rule) -> {
			assertThat(rule.issuer()).isEqualTo("testing@secure.istio.io");
			assertThat(rule.jwks()).isEqualTo(DemoFiles.read("jwks.json"));
		});
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> keys = (List<Map<String, Object>>) json.readValue(DemoFiles.read("jwks.json"),
				Map.class)
			.get("keys");
		// Public members only: a demo private key belongs in demo-key.pem, never in a policy.
		assertThat(keys).singleElement()
			.satisfies((key) -> assertThat(key).containsOnlyKeys("kty", "kid", "use", "alg", "n", "e"));
	}

	@Test
	void policiesApplyToFooHttpbinOnly() {
		assertThat(compile(HTTPBIN).appliedPolicies()).hasSize(2);
		assertThat(compile(new Workload("bar", Map.of("app", "httpbin"))).appliedPolicies()).isEmpty();
		assertThat(compile(new Workload("foo", Map.of("app", "sleep"))).appliedPolicies()).isEmpty();
	}

	private PolicySnapshot compile(Workload workload) {
		return new PolicyCompiler(workload, MeshSettings.DEFAULTS, Map.of()).compile(this.loaded.policies());
	}

}
