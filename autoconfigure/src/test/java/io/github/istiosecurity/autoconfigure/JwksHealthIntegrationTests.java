package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.JwksServer;
import io.github.istiosecurity.testsupport.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code istio} health indicator over HTTP ({@code /actuator/health}) while a key
 * server and a policy file change under a running application: a key set that cannot be
 * refreshed while its keys are cached is UP with a warning, and UP again once the server
 * answers; a rejected policy change is UP with a warning and its problems, cleared by the
 * next valid change.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.jwt.jwks-refresh-interval=1s",
				"istio.security.reload.interval=100ms", "management.endpoint.health.show-details=always" })
class JwksHealthIntegrationTests {

	static final RSAKey KEY = Tokens.rsaKey("k1");

	static JwksServer jwks;

	static Path dir;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		jwks = new JwksServer().publish(KEY);
		dir = Files.createTempDirectory("istio-health");
		Files.writeString(dir.resolve("authn.yaml"), authentication());
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	private static String authentication() {
		return """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - issuer: "%s"
				    jwksUri: "%s"
				""".formatted(jwks.issuer(), jwks.jwksUri());
	}

	@AfterAll
	static void stopJwks() {
		jwks.close();
	}

	@Test
	void cachedKeysKeepItUpWithAWarningWhileTheKeyServerFailsAndItRecovers() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> HealthSupport.health(this.port).keySet(jwks.issuer()).path("status").asString().equals("ok"));
		HealthSupport.Reply ok = HealthSupport.health(this.port);
		assertThat(ok.status()).isEqualTo(200);
		assertThat(ok.istio().path("status").asString()).isEqualTo("UP");
		assertThat(ok.keySet(jwks.issuer()).path("location").asString()).isEqualTo(jwks.jwksUri());

		jwks.status(503);
		try {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> HealthSupport.health(this.port)
					.keySet(jwks.issuer())
					.path("status")
					.asString()
					.equals("failing"));
			HealthSupport.Reply failing = HealthSupport.health(this.port);
			assertThat(failing.status()).isEqualTo(200);
			assertThat(failing.istio().path("status").asString()).isEqualTo("UP");
			assertThat(failing.keySet(jwks.issuer()).path("warning").asString()).contains("still in use");
			assertThat(failing.keySet(jwks.issuer()).path("reason").asString()).isNotEmpty();
			assertThat(failing.keySet(jwks.issuer()).path("fetchedAt").asString()).isNotEmpty();
		}
		finally {
			jwks.status(200);
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> HealthSupport.health(this.port).keySet(jwks.issuer()).path("status").asString().equals("ok"));
		assertThat(HealthSupport.health(this.port).istio().path("details").has("warning")).isFalse();
	}

	@Test
	void aRejectedPolicyChangeIsUpWithAWarningUntilTheNextValidChange() throws IOException {
		Files.writeString(dir.resolve("broken.yaml"), """
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: broken}
				spec:
				  rules: [{when: [{key: request.path, values: ["/x"]}]}]
				""");
		try {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> HealthSupport.health(this.port).policies().path("status").asString().equals("failing"));
			HealthSupport.Reply failing = HealthSupport.health(this.port);
			assertThat(failing.status()).isEqualTo(200);
			assertThat(failing.istio().path("status").asString()).isEqualTo("UP");
			assertThat(failing.policies().path("problems").get(0).asString())
				.contains("broken.yaml:5: spec.rules[0].when[0].key");
		}
		finally {
			Files.delete(dir.resolve("broken.yaml"));
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> HealthSupport.health(this.port).policies().path("status").asString().equals("ok"));
	}

}
