package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.JwksServer;
import io.github.istiosecurity.testsupport.Tokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Micrometer meters, read from a {@link SimpleMeterRegistry} after real requests to a
 * real servlet application (the reactive subclass runs the same on WebFlux): decisions by
 * outcome and deciding policy, dry-run shadow results, JWT rejections by reason, key-set
 * fetches by issuer and outcome, and the decision timer.
 */
@SpringBootTest(classes = { EchoApplication.class, MetricsIntegrationTests.Registry.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "istio.security.workload.namespace=foo")
class MetricsIntegrationTests {

	static final RSAKey KEY = Tokens.rsaKey("k1");

	/** Same kid, another key: its signatures do not verify. */
	static final RSAKey IMPOSTOR = Tokens.rsaKey("k1");

	static final String DOWN_ISSUER = "https://down.example.com";

	static JwksServer jwks;

	static JwksServer down;

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		jwks = new JwksServer().publish(KEY);
		down = new JwksServer();
		down.status(503);
		Path dir = Files.createTempDirectory("istio-metrics");
		Files.writeString(dir.resolve("policies.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - issuer: "%s"
				    jwksUri: "%s"
				  - issuer: "%s"
				    jwksUri: "%s"
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: allow-anything}
				spec:
				  action: ALLOW
				  rules: [{to: [{operation: {paths: ["/anything", "/anything/*", "/admin/*"]}}]}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: deny-admin}
				spec:
				  action: DENY
				  rules: [{to: [{operation: {paths: ["/admin/*"]}}]}]
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata:
				  name: shadow-deny
				  annotations: {"istio.io/dry-run": "true"}
				spec:
				  action: DENY
				  rules: [{to: [{operation: {paths: ["/anything/shadow"]}}]}]
				""".formatted(jwks.issuer(), jwks.jwksUri(), DOWN_ISSUER, down.jwksUri()));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@AfterAll
	static void stopServers() {
		jwks.close();
		down.close();
	}

	@BeforeEach
	void keysFetched() {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> http().get("/anything/warm", bearer(token(KEY, Map.of()))).statusCode() == 200);
	}

	private Http http() {
		return new Http(this.port);
	}

	private static String token(RSAKey key, Map<String, Object> extra) {
		Map<String, Object> claims = new java.util.HashMap<>(Map.of("iss", jwks.issuer(), "sub", "user1"));
		claims.putAll(extra);
		return Tokens.sign(key, claims);
	}

	private double count(String name, String... tags) {
		Counter counter = this.registry.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void theChainTheStarterOwnsRecordsNoSpringSecurityObservations() {
		assertThat(http().get("/anything/observed", bearer(token(KEY, Map.of()))).statusCode()).isEqualTo(200);
		// observations as such are on (the server's own request timer is there), Spring
		// Security's of its filters and decisions are not: the starter's meters count
		// them
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.registry.find("http.server.requests").timers()).isNotEmpty());
		assertThat(this.registry.getMeters()).extracting((meter) -> meter.getId().getName())
			.noneMatch((name) -> name.startsWith("spring.security."))
			.contains("istio.security.decisions");
	}

	@Test
	void decisionsAreCountedByOutcomeActionAndDecidingPolicyAndTimed() {
		String[] allowed = { "outcome", "allowed", "action", "ALLOW", "policy", "foo/allow-anything" };
		String[] denied = { "outcome", "denied", "action", "DENY", "policy", "foo/deny-admin" };
		String[] byDefault = { "outcome", "denied", "action", "NONE", "policy", "none" };
		double allowedBefore = count(IstioSecurityMetrics.DECISIONS, allowed);
		double deniedBefore = count(IstioSecurityMetrics.DECISIONS, denied);
		double byDefaultBefore = count(IstioSecurityMetrics.DECISIONS, byDefault);
		FunctionTimer timer = this.registry.get(IstioSecurityMetrics.DECISION_TIMER).functionTimer();
		double timedBefore = timer.count();

		assertThat(http().get("/anything/x", bearer(token(KEY, Map.of()))).statusCode()).isEqualTo(200);
		assertThat(http().get("/admin/x", bearer(token(KEY, Map.of()))).statusCode()).isEqualTo(403);
		assertThat(http().get("/headers").statusCode()).isEqualTo(403);

		assertThat(count(IstioSecurityMetrics.DECISIONS, allowed)).isEqualTo(allowedBefore + 1);
		assertThat(count(IstioSecurityMetrics.DECISIONS, denied)).isEqualTo(deniedBefore + 1);
		assertThat(count(IstioSecurityMetrics.DECISIONS, byDefault)).isEqualTo(byDefaultBefore + 1);
		assertThat(timer.count()).isBetween(timedBefore, timedBefore + 3);
	}

	@Test
	void aSampleOfTheDecisionsIsTimed() {
		FunctionTimer timer = this.registry.get(IstioSecurityMetrics.DECISION_TIMER).functionTimer();
		double timedBefore = timer.count();
		double totalBefore = timer.totalTime(TimeUnit.NANOSECONDS);
		String token = token(KEY, Map.of());
		for (int i = 0; i < 300; i++) {
			assertThat(http().get("/anything/x", bearer(token)).statusCode()).isEqualTo(200);
		}
		// one in 16 at random: about 19 of 300; none at all has a probability of 4e-9
		assertThat(timer.count() - timedBefore).isBetween(1.0, 300.0);
		assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isGreaterThan(totalBefore);
	}

	@Test
	void refusedRequestsAreCounted() {
		String[] refused = { "outcome", "refused", "action", "NONE", "policy", "none" };
		double before = count(IstioSecurityMetrics.DECISIONS, refused);
		assertThat(http().get("/anything/a;b").statusCode()).isEqualTo(400);
		assertThat(count(IstioSecurityMetrics.DECISIONS, refused)).isEqualTo(before + 1);
	}

	@Test
	void jwtFailuresAreCountedByReason() {
		double expired = count(IstioSecurityMetrics.JWT_FAILURES, "reason", "expired");
		double unknownIssuer = count(IstioSecurityMetrics.JWT_FAILURES, "reason", "unknown_issuer");
		double badSignature = count(IstioSecurityMetrics.JWT_FAILURES, "reason", "bad_signature");
		double malformed = count(IstioSecurityMetrics.JWT_FAILURES, "reason", "malformed");
		double rejected = count(IstioSecurityMetrics.DECISIONS, "outcome", "rejected");

		String old = token(KEY, Map.of("exp", Instant.now().minusSeconds(3600)));
		assertThat(http().get("/anything/x", bearer(old)).statusCode()).isEqualTo(401);
		String stranger = token(KEY, Map.of("iss", "https://stranger.example.com"));
		assertThat(http().get("/anything/x", bearer(stranger)).statusCode()).isEqualTo(401);
		assertThat(http().get("/anything/x", bearer(token(IMPOSTOR, Map.of()))).statusCode()).isEqualTo(401);
		assertThat(http().get("/anything/x", bearer("not.a-token")).statusCode()).isEqualTo(401);

		assertThat(count(IstioSecurityMetrics.JWT_FAILURES, "reason", "expired")).isEqualTo(expired + 1);
		assertThat(count(IstioSecurityMetrics.JWT_FAILURES, "reason", "unknown_issuer")).isEqualTo(unknownIssuer + 1);
		assertThat(count(IstioSecurityMetrics.JWT_FAILURES, "reason", "bad_signature")).isEqualTo(badSignature + 1);
		assertThat(count(IstioSecurityMetrics.JWT_FAILURES, "reason", "malformed")).isEqualTo(malformed + 1);
		assertThat(count(IstioSecurityMetrics.DECISIONS, "outcome", "rejected")).isEqualTo(rejected + 4);
	}

	@Test
	void dryRunShadowResultsAreCountedByPolicyAndWouldBeResult() {
		String[] wouldDeny = { "result", "denied", "action", "DENY", "policy", "foo/shadow-deny" };
		String[] wouldAllow = { "result", "allowed", "action", "DENY", "policy", "none" };
		double wouldDenyBefore = count(IstioSecurityMetrics.DRY_RUN, wouldDeny);
		double wouldAllowBefore = count(IstioSecurityMetrics.DRY_RUN, wouldAllow);

		// the dry-run policy does not enforce: both requests are allowed
		assertThat(http().get("/anything/shadow").statusCode()).isEqualTo(200);
		assertThat(http().get("/anything/x").statusCode()).isEqualTo(200);

		assertThat(count(IstioSecurityMetrics.DRY_RUN, wouldDeny)).isEqualTo(wouldDenyBefore + 1);
		assertThat(count(IstioSecurityMetrics.DRY_RUN, wouldAllow)).isEqualTo(wouldAllowBefore + 1);
	}

	@Test
	void keySetFetchesAreCountedByIssuerAndOutcome() {
		assertThat(count(IstioSecurityMetrics.JWKS_FETCHES, "issuer", jwks.issuer(), "outcome", "success"))
			.isGreaterThanOrEqualTo(1);
		assertThat(count(IstioSecurityMetrics.JWKS_FETCHES, "issuer", jwks.issuer(), "outcome", "failure")).isZero();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> count(IstioSecurityMetrics.JWKS_FETCHES, "issuer", DOWN_ISSUER, "outcome", "failure") >= 1);
		assertThat(count(IstioSecurityMetrics.JWKS_FETCHES, "issuer", DOWN_ISSUER, "outcome", "success")).isZero();
	}

	@Test
	void tagValuesNameNoPathAndNoPrincipal() {
		http().get("/anything/some/unique/path-4711", bearer(token(KEY, Map.of("sub", "principal-4711"))));
		Set<String> keys = Set.of("outcome", "action", "policy", "result", "reason", "issuer");
		for (Meter meter : this.registry.getMeters()) {
			if (meter.getId().getName().startsWith("istio.security")) {
				for (Tag tag : meter.getId().getTags()) {
					assertThat(keys).contains(tag.getKey());
					assertThat(tag.getValue()).doesNotContain("4711").doesNotContain("/anything");
				}
			}
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
