package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.Tokens;
import io.github.istiosecurity.web.servlet.IstioSecurityConfigurer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.github.istiosecurity.testsupport.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an application sees of Spring Security through the chain the starter owns, whose
 * filters after the context holder run as one {@link OwnedChainFilter}, next to an
 * application whose own chain has Spring Security's filters one by one: the same
 * {@code Principal}, {@code @AuthenticationPrincipal}, security context in a
 * {@code Callable}, method security denial, forward and error dispatch, and denial
 * events. Each request goes to both, real servers, and must be answered the same and as
 * expected.
 */
class OwnedChainServletApiIntegrationTests {

	static final RSAKey KEY = Tokens.rsaKey("k1");

	static final String IDP = "https://idp.example.com";

	static ConfigurableApplicationContext fused;

	static ConfigurableApplicationContext separate;

	@BeforeAll
	static void start() throws IOException {
		Path dir = Files.createTempDirectory("istio-owned-chain");
		Files.writeString(dir.resolve("policies.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - issuer: "%s"
				    jwks: '%s'
				---
				apiVersion: security.istio.io/v1
				kind: AuthorizationPolicy
				metadata: {name: api}
				spec:
				  rules:
				  - from: [{source: {requestPrincipals: ["*"]}}]
				    to: [{operation: {methods: [GET], paths: ["/api/*", "/missing"]}}]
				  - to: [{operation: {methods: [GET], paths: ["/open/*"]}}]
				""".formatted(IDP, new JWKSet(KEY.toPublicJWK())));
		String[] properties = { "server.port=0", "server.address=127.0.0.1",
				"istio.security.policy-locations=file:" + dir + "/*.yaml" };
		fused = new SpringApplicationBuilder(ServletApiApplication.class).properties(properties).run();
		separate = new SpringApplicationBuilder(ServletApiApplication.class, SpringSecuritysFilters.class)
			.properties(properties)
			.run();
	}

	@AfterAll
	static void stop() {
		fused.close();
		separate.close();
	}

	@Test
	void theStartersChainIsFusedAndTheApplicationsIsNot() {
		assertThat(fused.getBean(SecurityFilterChain.class).getFilters()).hasSize(2)
			.last()
			.isInstanceOf(OwnedChainFilter.class);
		assertThat(separate.getBean(SecurityFilterChain.class).getFilters()).hasSizeGreaterThan(2)
			.noneMatch(OwnedChainFilter.class::isInstance);
	}

	@Test
	void theAuthenticatedPrincipalIsSeenThroughEveryServletApi() {
		String body = "{\"principal\":\"" + IDP + "/alice\",\"remoteUser\":\"" + IDP
				+ "/alice\",\"jwt\":\"alice\",\"context\":\"" + IDP + "/alice\"}";
		assertBoth("/api/principal", 200, body, bearer(token("alice", "read")));
		// through a forward: the same request, the same answer
		assertBoth("/api/forward", 200, body, bearer(token("alice", "read")));
	}

	@Test
	void anAnonymousRequestHasNoPrincipal() {
		assertBoth("/open/principal", 200, "{\"principal\":null,\"remoteUser\":null,\"jwt\":null,\"context\":null}");
	}

	@Test
	void aCallableRunsWithTheRequestsSecurityContext() {
		assertBoth("/api/callable", 200, IDP + "/bob", bearer(token("bob", "read")));
	}

	@Test
	void methodSecuritysDenialIsTheStartersDenial() {
		assertBoth("/api/admin", 403, "RBAC: access denied", bearer(token("bob", "read")));
		assertBoth("/api/admin", 200, "admin for " + IDP + "/carol", bearer(token("carol", "admin")));
	}

	@Test
	void aPolicyDenialIsPublishedAsSpringSecuritysDeniedEvent() {
		int fusedBefore = denials(fused);
		int separateBefore = denials(separate);
		assertBoth("/api/principal", 403, "RBAC: access denied");
		assertThat(denials(fused)).isEqualTo(fusedBefore + 1);
		assertThat(denials(separate)).isEqualTo(separateBefore + 1);
	}

	@Test
	void anAllowedRequestKeepsTheApplicationsErrorStatus() {
		// the error dispatch of a 404 is authorized on the request's own decision
		HttpResponse<String> fusedMissing = get(fused, "/missing", bearer(token("alice", "read")));
		HttpResponse<String> separateMissing = get(separate, "/missing", bearer(token("alice", "read")));
		assertThat(fusedMissing.statusCode()).isEqualTo(404).isEqualTo(separateMissing.statusCode());
		assertThat(fusedMissing.body()).contains("\"status\":404,").contains("\"path\":\"/missing\"");
		assertThat(separateMissing.body()).contains("\"status\":404,").contains("\"path\":\"/missing\"");
	}

	private static void assertBoth(String path, int status, String body, String... headers) {
		for (ConfigurableApplicationContext application : List.of(fused, separate)) {
			HttpResponse<String> response = get(application, path, headers);
			assertThat(response.statusCode()).as(path).isEqualTo(status);
			assertThat(response.body()).as(path).isEqualTo(body);
			assertThat(response.headers().firstValue("set-cookie")).isEmpty();
		}
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext application, String path,
			String... headers) {
		return new Http(application.getEnvironment().getRequiredProperty("local.server.port", Integer.class)).get(path,
				headers);
	}

	private static int denials(ConfigurableApplicationContext application) {
		return application.getBean(Denials.class).count.get();
	}

	private static String token(String subject, String scope) {
		return Tokens.sign(KEY, Map.of("iss", IDP, "sub", subject, "scope", scope));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration" })
	@EnableMethodSecurity
	@RestController
	static class ServletApiApplication {

		@Bean
		Denials denials() {
			return new Denials();
		}

		@GetMapping({ "/api/principal", "/open/principal" })
		Map<String, @Nullable Object> principal(HttpServletRequest request, @AuthenticationPrincipal Jwt jwt) {
			Principal principal = request.getUserPrincipal();
			Authentication context = SecurityContextHolder.getContext().getAuthentication();
			Map<String, @Nullable Object> seen = new LinkedHashMap<>();
			seen.put("principal", (principal != null) ? principal.getName() : null);
			seen.put("remoteUser", request.getRemoteUser());
			seen.put("jwt", (jwt != null) ? jwt.getSubject() : null);
			seen.put("context", (context != null) ? context.getName() : null);
			return seen;
		}

		@GetMapping("/api/forward")
		void forward(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
			request.getRequestDispatcher("/api/principal").forward(request, response);
		}

		@GetMapping("/api/callable")
		Callable<String> callable() {
			return () -> {
				Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
				return (authentication != null) ? authentication.getName() : "none";
			};
		}

		@GetMapping("/api/admin")
		@PreAuthorize("hasAuthority('SCOPE_admin')")
		String admin(Principal principal) {
			return "admin for " + principal.getName();
		}

	}

	static class Denials {

		final AtomicInteger count = new AtomicInteger();

		@EventListener
		void denied(AuthorizationDeniedEvent<?> event) {
			this.count.incrementAndGet();
		}

	}

	/** The starter's chain, written by an application: Spring Security's filters. */
	@Configuration(proxyBeanMethods = false)
	static class SpringSecuritysFilters {

		@Bean
		SecurityFilterChain ownChain(HttpSecurity http) throws Exception {
			return http.csrf((csrf) -> csrf.disable())
				.sessionManagement((session) -> session.disable())
				.securityContext(
						(context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
				.requestCache((cache) -> cache.disable())
				.formLogin((form) -> form.disable())
				.httpBasic((basic) -> basic.disable())
				.logout((logout) -> logout.disable())
				.anonymous((anonymous) -> anonymous.disable())
				.headers((headers) -> headers.disable())
				.with(IstioSecurityConfigurer.istio(), Customizer.withDefaults())
				.build();
		}

	}

}
