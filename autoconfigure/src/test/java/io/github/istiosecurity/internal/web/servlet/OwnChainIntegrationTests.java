package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.Tokens;
import io.github.istiosecurity.web.servlet.IstioAuthorizationManager;
import io.github.istiosecurity.web.servlet.IstioSecurityConfigurer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with its own chain that adds the policies with the configurer and keeps
 * one rule of its own: {@code /public/**} is open whatever the policies say, everything
 * else is decided by them.
 */
@SpringBootTest(classes = { EchoApplication.class, OwnChainIntegrationTests.OwnChain.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "istio.security.workload.namespace=foo")
class OwnChainIntegrationTests {

	static final RSAKey KEY = Tokens.rsaKey("k1");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("istio-own-chain");
		Files.writeString(dir.resolve("policies.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - issuer: "https://idp.example.com"
				    jwks: '%s'
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: alice-only}
				spec:
				  rules:
				  - from: [{source: {requestPrincipals: ["https://idp.example.com/alice"]}}]
				""".formatted(new JWKSet(KEY.toPublicJWK())));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@Test
	void thePoliciesDecideWhatTheApplicationsOwnRulesLeaveToThem() {
		Http http = new Http(this.port);
		String alice = Tokens.sign(KEY, Map.of("iss", "https://idp.example.com", "sub", "alice"));
		String bob = Tokens.sign(KEY, Map.of("iss", "https://idp.example.com", "sub", "bob"));
		assertThat(http.get("/public").statusCode()).isEqualTo(200);
		assertThat(http.get("/anything", bearer(alice)).statusCode()).isEqualTo(200);
		HttpResponse<String> denied = http.get("/anything", bearer(bob));
		assertThat(denied.statusCode()).isEqualTo(403);
		assertThat(denied.body()).isEqualTo("RBAC: access denied");
		HttpResponse<String> expired = http.get("/public", "Authorization", "Bearer deadbeef");
		assertThat(expired.statusCode()).as("JWT processing runs before the application's rules").isEqualTo(401);
	}

	@Test
	void theApplicationsChainKeepsSpringsFirewallAndItsRefusalsAreHonest() {
		Http http = new Http(this.port);
		// StrictHttpFirewall's path and method rules stay with an application's chain:
		// 400 with the reason
		HttpResponse<String> semicolon = http.get("/anything;x=1");
		assertThat(semicolon.statusCode()).isEqualTo(400);
		assertThat(semicolon.body()).isEqualTo("Bad Request: rejected by Spring Security's firewall: The request was "
				+ "rejected because the URL contained a potentially malicious String \";\"");
		HttpResponse<String> method = http.send("PROPFIND", "/anything");
		assertThat(method.statusCode()).isEqualTo(400);
		assertThat(method.body()).startsWith("Bad Request: rejected by Spring Security's firewall: ");
	}

	static class OwnChain {

		@Bean
		SecurityFilterChain ownChain(HttpSecurity http, IstioAuthorizationManager istio) throws Exception {
			return http.with(IstioSecurityConfigurer.istio().authorizeAllRequests(false), (configurer) -> {
			})
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/public/**", "/public")
					.permitAll()
					.anyRequest()
					.access(istio))
				.build();
		}

	}

}
