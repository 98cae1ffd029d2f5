package io.github.istiosecurity.autoconfigure;

import java.time.Duration;

import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.internal.extauthz.ExtensionProviders;
import io.github.istiosecurity.internal.extauthz.GrpcExtAuthzAuthorizer;
import io.github.istiosecurity.internal.extauthz.HttpExtAuthzAuthorizer;
import io.github.istiosecurity.internal.extauthz.ProviderSettings;
import io.github.istiosecurity.internal.extauthz.RemoteAuthorizer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code istio.security.extension-providers}: a mesh's provider block becomes an
 * extension authorizer with istiod's defaults; what istiod would refuse, a provider whose
 * client library is missing, and a provider that shares its name with an
 * {@link ExtensionAuthorizer} bean stop start-up with the reason.
 */
class ExtensionProvidersAutoConfigurationTests {

	private static final String OPA = "istio.security.extension-providers[0].";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IstioExtensionProvidersAutoConfiguration.class,
				IstioSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.reload.enabled=false");

	@Test
	void withoutProvidersThereAreNone() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ExtensionProviders.class).authorizers()).isEmpty();
		});
	}

	@Test
	void aGrpcProviderBlockOfTheMeshGetsIstiodsDefaults() {
		this.runner
			.withPropertyValues(OPA + "name=opa",
					OPA + "envoy-ext-authz-grpc.service=opa-system/opa.opa-system.svc.cluster.local",
					OPA + "envoy-ext-authz-grpc.port=9191")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ExtensionAuthorizer opa = context.getBean(ExtensionProviders.class).authorizers().get("opa");
				assertThat(opa).isInstanceOf(GrpcExtAuthzAuthorizer.class);
				ProviderSettings settings = ((RemoteAuthorizer) opa).settings();
				assertThat(settings.host()).isEqualTo("opa.opa-system.svc.cluster.local");
				assertThat(settings.port()).isEqualTo(9191);
				assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(600));
				assertThat(settings.statusOnError()).isEqualTo(403);
				assertThat(settings.failOpen()).isFalse();
			});
	}

	@Test
	void anHttpProviderReadsTheMeshsDurationsAndHeaderPatterns() {
		this.runner
			.withPropertyValues(OPA + "name=ext-authz", OPA + "envoy-ext-authz-http.service=ext-authz.foo.svc",
					OPA + "envoy-ext-authz-http.port=8000", OPA + "envoy-ext-authz-http.timeout=0.25s",
					OPA + "envoy-ext-authz-http.status-on-error=503",
					OPA + "envoy-ext-authz-http.include-headers-in-check[0]=x-ext-authz",
					OPA + "envoy-ext-authz-http.headers-to-upstream-on-allow[0]=x-auth-*")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RemoteAuthorizer authorizer = (RemoteAuthorizer) context.getBean(ExtensionProviders.class)
					.authorizers()
					.get("ext-authz");
				assertThat(authorizer).isInstanceOf(HttpExtAuthzAuthorizer.class);
				ProviderSettings settings = authorizer.settings();
				assertThat(settings.timeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(settings.statusOnError()).isEqualTo(503);
				// the deprecated includeHeadersInCheck counts while
				// includeRequestHeadersInCheck is empty
				assertThat(settings.includeRequestHeaders().matches("X-Ext-Authz")).isTrue();
				assertThat(settings.upstreamOnAllow().matches("x-auth-user")).isTrue();
			});
	}

	@Test
	void fieldsIstiodRefusesStopStartUpNamingTheProvider() {
		this.runner
			.withPropertyValues(OPA + "name=ext-authz", OPA + "envoy-ext-authz-http.service=ext-authz.foo.svc",
					OPA + "envoy-ext-authz-http.port=0", OPA + "envoy-ext-authz-http.status-on-error=999",
					OPA + "envoy-ext-authz-http.path-prefix=check",
					OPA + "envoy-ext-authz-http.headers-to-downstream-on-deny[0]=*")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("istio.security.extension-providers[0] (extension provider 'ext-authz')")
				.hasMessageContaining("port must be in the range [1, 65535], found: 0")
				.hasMessageContaining("status-on-error 999 is not one of Envoy's status codes")
				.hasMessageContaining("path-prefix must begin with '/'")
				.hasMessageContaining("a single wildcard (\"*\") is not supported"));
	}

	@Test
	void aProviderIsHttpOrGrpcAndItsNameIsUnique() {
		this.runner
			.withPropertyValues(OPA + "name=opa", OPA + "envoy-ext-authz-http.service=opa",
					OPA + "envoy-ext-authz-http.port=9191", OPA + "envoy-ext-authz-grpc.service=opa",
					OPA + "envoy-ext-authz-grpc.port=9191")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("sets both envoy-ext-authz-http and envoy-ext-authz-grpc"));
		this.runner
			.withPropertyValues(OPA + "name=opa", OPA + "envoy-ext-authz-grpc.service=opa",
					OPA + "envoy-ext-authz-grpc.port=9191", "istio.security.extension-providers[1].name=opa",
					"istio.security.extension-providers[1].envoy-ext-authz-grpc.service=opa2",
					"istio.security.extension-providers[1].envoy-ext-authz-grpc.port=9191")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("the name 'opa' is used twice"));
	}

	@Test
	void aGrpcProviderWithoutGrpcJavaOnTheClassPathStopsStartUpSayingWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader("io.grpc."))
			.withPropertyValues(OPA + "name=opa", OPA + "envoy-ext-authz-grpc.service=opa",
					OPA + "envoy-ext-authz-grpc.port=9191")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Extension provider 'opa' is an envoyExtAuthzGrpc provider, whose client is not "
						+ "on the class path: add io.envoyproxy.controlplane:api and io.grpc:grpc-netty-shaded"));
	}

	@Test
	void anExtensionAuthorizerBeanMayNotTakeTheNameOfAConfiguredProvider() {
		this.runner.withUserConfiguration(InProcessOpa.class)
			.withPropertyValues(OPA + "name=opa", OPA + "envoy-ext-authz-grpc.service=opa",
					OPA + "envoy-ext-authz-grpc.port=9191")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("The extension provider 'opa' of istio.security.extension-providers has the "
						+ "name of the ExtensionAuthorizer bean"));
	}

	@Test
	void extensionAuthorizerBeansAndConfiguredProvidersLiveSideBySide() {
		this.runner.withUserConfiguration(InProcessOpa.class)
			.withPropertyValues(OPA + "name=remote", OPA + "envoy-ext-authz-grpc.service=opa",
					OPA + "envoy-ext-authz-grpc.port=9191")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class InProcessOpa {

		@Bean
		ExtensionAuthorizer opa() {
			return new ExtensionAuthorizer() {

				@Override
				public String name() {
					return "opa";
				}

				@Override
				public ExtensionDecision check(io.github.istiosecurity.authz.RequestAttributes request) {
					return ExtensionDecision.allow();
				}

			};
		}

	}

}
