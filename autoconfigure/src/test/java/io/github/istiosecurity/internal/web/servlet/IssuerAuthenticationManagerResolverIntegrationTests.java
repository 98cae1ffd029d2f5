package io.github.istiosecurity.internal.web.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.Tokens;
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
 * An application that keeps its own Spring Security resource-server chain and only
 * borrows the policies' JWT rules through the issuer-keyed
 * {@code AuthenticationManagerResolver}.
 */
@SpringBootTest(classes = { EchoApplication.class, IssuerAuthenticationManagerResolverIntegrationTests.OwnChain.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "istio.security.workload.namespace=foo")
class IssuerAuthenticationManagerResolverIntegrationTests {

	static final RSAKey KEY = Tokens.rsaKey("k1");

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) throws IOException {
		Path dir = Files.createTempDirectory("istio-resolver");
		Files.writeString(dir.resolve("authn.yaml"), """
				apiVersion: security.istio.io/v1
				kind: RequestAuthentication
				metadata: {name: jwt}
				spec:
				  jwtRules:
				  - issuer: "https://idp.example.com"
				    jwks: '%s'
				""".formatted(new JWKSet(KEY.toPublicJWK())));
		registry.add("istio.security.policy-locations", () -> "file:" + dir + "/*.yaml");
	}

	@Test
	void theOwnChainAuthenticatesTokensOfTheConfiguredIssuerOnly() {
		Http http = new Http(this.port);
		String token = Tokens.sign(KEY, Map.of("iss", "https://idp.example.com", "sub", "alice"));
		assertThat(http.get("/whoami", bearer(token)).body()).contains("\"subject\":\"alice\"");
		assertThat(http.get("/whoami").statusCode()).isEqualTo(401);
		String otherIssuer = Tokens.sign(KEY, Map.of("iss", "https://other.example.com", "sub", "alice"));
		assertThat(http.get("/whoami", bearer(otherIssuer)).statusCode()).isEqualTo(401);
		String forged = Tokens.sign(Tokens.rsaKey("k1"), Map.of("iss", "https://idp.example.com", "sub", "alice"));
		assertThat(http.get("/whoami", bearer(forged)).headers().firstValue("www-authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("Jwt verification fails"));
	}

	static class OwnChain {

		@Bean
		SecurityFilterChain ownChain(HttpSecurity http, IstioIssuerAuthenticationManagerResolver resolver)
				throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.oauth2ResourceServer((resource) -> resource.authenticationManagerResolver(resolver))
				.build();
		}

	}

}
