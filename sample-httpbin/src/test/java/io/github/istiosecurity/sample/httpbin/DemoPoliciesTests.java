package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.check.CheckResult;
import io.github.istiosecurity.check.PolicyEvaluation;
import io.github.istiosecurity.test.IstioPolicies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static io.github.istiosecurity.test.IstioRequests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo policies under {@code classpath:istio/} as Istio users wrote them: they load
 * with no warning, the inline JWKS is the committed one, and they apply to foo/httpbin
 * only. What they decide is {@link HttpbinPolicyTests}. Only the published API is used,
 * as an application's tests would.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoPoliciesTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void policiesLoadWithoutWarnings(CapturedOutput output) {
		try (IstioPolicies policies = workload("foo", "httpbin")) {
			assertThat(policies.check(get("/headers")).evaluated()).extracting(PolicyEvaluation::name)
				.containsExactly("foo/require-jwt");
		}
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void inlineJwksIsTheCommittedPublicJwks() throws IOException {
		List<Map<String, Object>> documents = documents();
		assertThat(documents).extracting((document) -> document.get("kind"))
			.containsExactlyInAnyOrder("RequestAuthentication", "AuthorizationPolicy");
		Map<String, Object> authentication = documents.stream()
			.filter((document) -> "RequestAuthentication".equals(document.get("kind")))
			.findFirst()
			.orElseThrow();
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) authentication.get("spec"))
			.get("jwtRules");
		assertThat(rules).singleElement().satisfies((rule) -> {
			assertThat(rule.get("issuer")).isEqualTo("testing@secure.istio.io");
			assertThat(rule.get("jwks")).isEqualTo(DemoFiles.read("jwks.json"));
		});
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> keys = (List<Map<String, Object>>) json
			.readValue(DemoFiles.read("jwks.json"), Map.class)
			.get("keys");
		// Public members only: a demo private key belongs in demo-key.pem, never in a
		// policy.
		assertThat(keys).singleElement()
			.satisfies((key) -> assertThat(key).containsOnlyKeys("kty", "kid", "use", "alg", "n", "e"));
	}

	@Test
	void policiesApplyToFooHttpbinOnly() {
		String token = DemoFiles.read("user1.jwt");
		try (IstioPolicies httpbin = workload("foo", "httpbin")) {
			CheckResult result = httpbin.check(get("/headers").token(token));
			assertThat(result.jwt()).isEqualTo("verified");
			assertThat(result.evaluated()).hasSize(1);
		}
		for (Map.Entry<String, String> other : Map.of("bar", "httpbin", "foo", "sleep").entrySet()) {
			// By default an application the policies do not protect refuses to start
			assertThatThrownBy(() -> workload(other.getKey(), other.getValue()))
				.hasMessageContaining("do not protect this workload");
			try (IstioPolicies policies = IstioPolicies.builder()
				.policyLocations("classpath*:istio/*.yaml")
				.namespace(other.getKey())
				.label("app", other.getValue())
				.requirePolicies(false)
				.build()) {
				CheckResult result = policies.check(get("/headers").token(token));
				assertThat(result.jwt()).as("no RequestAuthentication applies").isNotEqualTo("verified");
				assertThat(result.evaluated()).as("no AuthorizationPolicy applies").isEmpty();
				assertThat(result.allowed()).isTrue();
			}
		}
	}

	private static IstioPolicies workload(String namespace, String app) {
		return IstioPolicies.builder()
			.policyLocations("classpath*:istio/*.yaml")
			.namespace(namespace)
			.label("app", app)
			.build();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> documents() throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:istio/*.yaml")) {
			try (InputStream in = resource.getInputStream()) {
				new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)
					.forEach((document) -> documents.add((Map<String, Object>) document));
			}
		}
		return documents;
	}

}
