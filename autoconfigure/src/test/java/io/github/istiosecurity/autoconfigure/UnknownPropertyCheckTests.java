package io.github.istiosecurity.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unknown {@code istio.security.*} keys: each is warned about by name with the nearest
 * known key, while every form Spring Boot binds (relaxed names, environment variables,
 * list indexes, map keys) is known.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertyCheckTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IstioSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.reload.enabled=false");

	@Test
	void aMistypedKeyIsNamedWithTheNearestKnownKey(CapturedOutput output) {
		this.runner.withPropertyValues("istio.security.polcy-locations=file:/etc/istio/*.yaml").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(MisconfigurationTests.warnings(output, "Unknown property")).containsExactly(
					"Unknown property istio.security.polcy-locations; did you mean istio.security.policy-locations? "
							+ "(set in \"istio.security.polcy-locations\" from property source \"test\")");
		});
	}

	@Test
	void aMistypedNestedKeyIsNamedWithTheNearestKnownKey(CapturedOutput output) {
		this.runner.withPropertyValues("istio.security.workload.namspace=foo").run((context) -> {
			assertThat(MisconfigurationTests.warnings(output, "Unknown property")).singleElement()
				.asString()
				.startsWith("Unknown property istio.security.workload.namspace; did you mean "
						+ "istio.security.workload.namespace?");
		});
	}

	@Test
	void aKeyFarFromEveryKnownKeyIsNamedWithoutAGuess(CapturedOutput output) {
		this.runner.withPropertyValues("istio.security.allow-everything=true").run((context) -> {
			assertThat(MisconfigurationTests.warnings(output, "Unknown property")).singleElement()
				.asString()
				.startsWith("Unknown property istio.security.allow-everything; it is ignored");
		});
	}

	@Test
	void everyFormSpringBootBindsIsKnown(CapturedOutput output) {
		this.runner
			.withPropertyValues("istio.security.policyLocations=classpath:istio-test/allow-get.yaml",
					"istio.security.policy_locations=classpath:istio-test/allow-get.yaml",
					"istio.security.policy-locations[0]=classpath:istio-test/allow-get.yaml",
					"istio.security.workload.labels.app=httpbin",
					"istio.security.workload.labels[app.kubernetes.io/name]=httpbin",
					"istio.security.jwt.clockSkew=30s", "istio.security.require-policies=false",
					"istio.security.kubernetes.enabled=false", "ISTIO.SECURITY.ROOT-NAMESPACE=istio-system")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource(
						"test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						Map.of("ISTIO_SECURITY_POLICYLOCATIONS_0_", "classpath:istio-test/allow-get.yaml",
								"ISTIO_SECURITY_JWT_JWKSFETCHTIMEOUT", "5s", "ISTIO_SECURITY_WORKLOAD_LABELS_VERSION",
								"v1", "ISTIO_SECURITY_NUMTRUSTEDPROXIES", "1"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(MisconfigurationTests.warnings(output, "Unknown property")).isEmpty();
			});
	}

	@Test
	void aMistypedEnvironmentVariableIsNamed(CapturedOutput output) {
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addLast(new SystemEnvironmentPropertySource(
						"test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						Map.of("ISTIO_SECURITY_ROOTNAMESPACES", "istio-system"))))
			.run((context) -> assertThat(MisconfigurationTests.warnings(output, "Unknown property")).singleElement()
				.asString()
				.startsWith("Unknown property istio.security.rootnamespaces; did you mean "
						+ "istio.security.root-namespace?"));
	}

	@Test
	void theFieldsOfEveryExtensionProviderAreKnown(CapturedOutput output) {
		this.runner.withPropertyValues("istio.security.extension-providers[0].name=opa",
				"istio.security.extension-providers[0].envoy-ext-authz-grpc.service=opa.opa-system.svc.cluster.local",
				"istio.security.extension-providers[0].envoy-ext-authz-grpc.port=9191",
				"istio.security.extension-providers[0].envoy-ext-authz-grpc.include-request-body-in-check"
						+ ".max-request-bytes=1024",
				"istio.security.extension-providers[1].name=oauth2-proxy",
				"istio.security.extension-providers[1].envoy-ext-authz-http.service=oauth2-proxy.default.svc",
				"istio.security.extension-providers[1].envoy-ext-authz-http.headersToUpstreamOnAllow[0]=x-auth-*",
				"istio.security.extension-providers[1].envoy-ext-authz-http.include-additional-headers-in-check"
						+ ".x-auth-mesh=istio",
				"istio.security.max-concurrent-custom-checks=16")
			.run((context) -> assertThat(MisconfigurationTests.warnings(output, "Unknown property")).isEmpty());
	}

	@Test
	void aMistypedFieldOfAnExtensionProviderIsNamed(CapturedOutput output) {
		this.runner.withPropertyValues("istio.security.extension-providers[2].envoy-ext-authz-grpc.servce=opa")
			.run((context) -> assertThat(MisconfigurationTests.warnings(output, "Unknown property")).singleElement()
				.asString()
				.startsWith("Unknown property istio.security.extension-providers[2].envoy-ext-authz-grpc.servce; "
						+ "did you mean istio.security.extension-providers[0].envoy-ext-authz-grpc.service?"));
	}

}
