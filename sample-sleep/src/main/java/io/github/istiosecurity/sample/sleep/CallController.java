package io.github.istiosecurity.sample.sleep;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.server.resource.web.reactive.function.client.ServerBearerExchangeFilterFunction;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Service-to-service calls with the caller's identity: {@code /call/<path>} sends the
 * same method, query and body to httpbin's {@code /<path>}, with the caller's verified
 * token as {@code Authorization: Bearer}.
 * <p>
 * The starter has already verified that token and removed its header (the sleep
 * RequestAuthentication keeps {@code forwardOriginalToken: false}); Spring Security's
 * {@link ServerBearerExchangeFilterFunction} takes it from the security context instead,
 * so httpbin's {@code requestPrincipals} rules see the original caller. Answers from
 * httpbin carry {@code X-Upstream: httpbin}, which sets them apart from sleep's own
 * denials.
 */
@RestController
class CallController {

	static final String UPSTREAM_HEADER = "X-Upstream";

	/** Headers of httpbin's answer that describe that connection, not the answer. */
	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding",
			"content-length", "upgrade");

	private final WebClient httpbin;

	private final SleepProperties properties;

	CallController(WebClient.Builder builder, SleepProperties properties, ObjectProvider<HttpClientSettings> settings) {
		this.httpbin = builder.clone()
			.clientConnector(HttpbinConnector.of(properties, settings.getIfAvailable()))
			.filter(new ServerBearerExchangeFilterFunction())
			.build();
		this.properties = properties;
	}

	@RequestMapping("/call/**")
	Mono<ResponseEntity<byte[]>> call(ServerHttpRequest request) {
		URI uri = request.getURI();
		// "/call/**" also matches "/call" itself: that is httpbin's "/"
		String rest = uri.getRawPath().substring("/call".length());
		String path = rest.isEmpty() ? "/" : rest;
		URI target = this.properties.httpbin((uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path);
		HttpHeaders sent = request.getHeaders();
		return this.httpbin.method(request.getMethod()).uri(target).headers((headers) -> {
			copy(sent, headers, HttpHeaders.CONTENT_TYPE);
			copy(sent, headers, HttpHeaders.ACCEPT);
		})
			.body(BodyInserters.fromDataBuffers(request.getBody()))
			.exchangeToMono((response) -> response.toEntity(byte[].class))
			.timeout(this.properties.timeout())
			.map(CallController::relayed)
			.onErrorResume((error) -> Mono.just(unreachable()));
	}

	private static ResponseEntity<byte[]> relayed(ResponseEntity<byte[]> answer) {
		HttpHeaders headers = new HttpHeaders();
		answer.getHeaders().forEach((name, values) -> {
			if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
				headers.addAll(name, values);
			}
		});
		headers.set(UPSTREAM_HEADER, "httpbin");
		return new ResponseEntity<>(answer.getBody(), headers, answer.getStatusCode());
	}

	/** What Envoy answers when the upstream cannot be reached. */
	private static ResponseEntity<byte[]> unreachable() {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.TEXT_PLAIN)
			.body("upstream connect error or disconnect/reset before headers. reset reason: connection failure"
				.getBytes(StandardCharsets.UTF_8));
	}

	private static void copy(HttpHeaders from, HttpHeaders to, String name) {
		if (from.containsHeader(name)) {
			to.addAll(name, from.getValuesAsList(name));
		}
	}

}
