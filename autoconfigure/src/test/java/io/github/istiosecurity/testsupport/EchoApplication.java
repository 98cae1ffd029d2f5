package io.github.istiosecurity.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A minimal servlet application for integration tests: it echoes the headers it receives after the policy
 * layer, and shows the authenticated token.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class EchoApplication {

	@RequestMapping({ "/headers", "/public/headers" })
	Map<String, Object> headers(@RequestHeader HttpHeaders headers) {
		Map<String, Object> seen = new LinkedHashMap<>();
		headers.forEach((name, values) -> seen.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
		return Map.of("headers", seen);
	}

	// takes the body as an entity, as most endpoints do: the framework then asks for the (absent) Content-Type
	// through the firewall
	@RequestMapping({ "/anything", "/anything/**", "/public", "/public/**" })
	Map<String, Object> anything(HttpEntity<byte[]> request) {
		return Map.of("ok", true);
	}

	@RequestMapping("/status/{code}")
	ResponseEntity<Void> status(@PathVariable int code) {
		return ResponseEntity.status(code).build();
	}

	@RequestMapping("/whoami")
	Map<String, Object> whoami(@AuthenticationPrincipal Jwt jwt) {
		return Map.of("subject", jwt.getSubject(), "issuer", String.valueOf(jwt.getIssuer()),
				"scopes", List.copyOf(jwt.getClaimAsStringList("scope") != null ? jwt.getClaimAsStringList("scope") : List.of()));
	}

}
