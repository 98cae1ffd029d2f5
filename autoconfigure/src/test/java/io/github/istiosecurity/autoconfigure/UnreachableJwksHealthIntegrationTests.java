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
 * A key server that fails from start-up, before any keys were fetched:
 * {@code /actuator/health} is DOWN (503) with the issuer and the reason, and UP once the
 * server answers.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "istio.security.workload.namespace=foo", "istio.security.jwt.jwks-refresh-interval=1s",
				"management.endpoint.health.show-details=always" })
class UnreachableJwksHealthIntegrationTests {

	static final RSAKey KEY = Tokens.rsaKey("k1");

	static JwksServer jwks;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		jwks = new JwksServer().publish(KEY);
		jwks.status(503);
		Path dir = Files.createTempDirectory("istio-health-down");
		Files.writeString(dir.resolve("authn.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - issuer: "%s"
				    jwksUri: "%s"
				""".formatted(jwks.issuer(), jwks.jwksUri()));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@AfterAll
	static void stopJwks() {
		jwks.close();
	}

	@Test
	void downWithTheIssuerAndTheReasonUntilTheKeyServerAnswers() {
		await().atMost(Duration.ofSeconds(30)).until(() -> HealthSupport.health(this.port).status() == 503);
		HealthSupport.Reply down = HealthSupport.health(this.port);
		assertThat(down.overall()).isEqualTo("DOWN");
		assertThat(down.istio().path("status").asString()).isEqualTo("DOWN");
		assertThat(down.keySet(jwks.issuer()).path("status").asString()).isEqualTo("down");
		assertThat(down.keySet(jwks.issuer()).path("reason").asString()).isNotEmpty();
		assertThat(down.keySet(jwks.issuer()).has("fetchedAt")).isFalse();

		jwks.status(200);
		await().atMost(Duration.ofSeconds(30)).until(() -> HealthSupport.health(this.port).status() == 200);
		HealthSupport.Reply up = HealthSupport.health(this.port);
		assertThat(up.overall()).isEqualTo("UP");
		assertThat(up.keySet(jwks.issuer()).path("status").asString()).isEqualTo("ok");
	}

}
