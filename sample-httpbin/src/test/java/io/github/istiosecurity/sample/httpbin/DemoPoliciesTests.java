package io.github.istiosecurity.sample.httpbin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.compile.MeshSettings;
import io.github.istiosecurity.authz.compile.PolicyCompiler;
import io.github.istiosecurity.authz.compile.Workload;
import io.github.istiosecurity.authz.engine.Decision;
import io.github.istiosecurity.authz.engine.PolicySnapshot;
import io.github.istiosecurity.authz.engine.RequestAttributes;
import io.github.istiosecurity.authz.match.IpAddress;
import io.github.istiosecurity.load.LoadResult;
import io.github.istiosecurity.load.LoaderSettings;
import io.github.istiosecurity.load.PolicyLoader;
import io.github.istiosecurity.model.RequestAuthentication;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo policies under {@code classpath:istio/} as Istio users wrote them: they load with no warning, the
 * inline JWKS is the committed one, and the authorization step decides the walk-through as the README says
 * (with the claims of the committed tokens; token verification, the 401s, is the starter's job).
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

	@ParameterizedTest(name = "{0} {1} {2} -> allowed={3}")
	@CsvSource(nullValues = "none", textBlock = """
			user1.jwt,        GET,     /headers,     true
			user1.jwt,        GET,     /status/200,  true
			user1.jwt,        POST,    /post,        false
			user1.jwt,        HEAD,    /get,         false
			user2.jwt,        GET,     /status/200,  true
			user2.jwt,        DELETE,  /status/a/b,  true
			user2.jwt,        GET,     /status,      false
			user2.jwt,        GET,     /headers,     false
			user3-groups.jwt, GET,     /get,         false
			none,             GET,     /headers,     false
			none,             GET,     /status/200,  false
			""")
	void authorizationDecidesTheWalkThrough(String token, String method, String path, boolean allowed) {
		Decision decision = compile(HTTPBIN).authorize(new DemoRequest(method, path, claims(token)));
		assertThat(decision.allowed()).as(decision.explain()).isEqualTo(allowed);
		if (!allowed) {
			assertThat(decision.status()).isEqualTo(403);
			assertThat(decision.body()).isEqualTo("RBAC: access denied");
		}
	}

	private PolicySnapshot compile(Workload workload) {
		return new PolicyCompiler(workload, MeshSettings.DEFAULTS, Map.of()).compile(this.loaded.policies());
	}

	/** The payload of a committed token, as the starter hands it to the engine once verified. */
	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> claims(@Nullable String token) {
		if (token == null) {
			return null;
		}
		byte[] payload = Base64.getUrlDecoder().decode(DemoFiles.read(token).split("\\.")[1]);
		return json.readValue(new String(payload, StandardCharsets.UTF_8), Map.class);
	}

	private record DemoRequest(String method, String path, @Nullable Map<String, Object> jwtClaims)
			implements RequestAttributes {

		@Override
		public @Nullable String host() {
			return "httpbin.foo:8000";
		}

		@Override
		public @Nullable String header(String lowerCaseName) {
			return null;
		}

		@Override
		public int destinationPort() {
			return 8000;
		}

		@Override
		public @Nullable IpAddress destinationIp() {
			return IpAddress.parse("127.0.0.1");
		}

		@Override
		public @Nullable IpAddress sourceIp() {
			return IpAddress.parse("127.0.0.1");
		}

		@Override
		public @Nullable IpAddress remoteIp() {
			return IpAddress.parse("127.0.0.1");
		}

	}

}
