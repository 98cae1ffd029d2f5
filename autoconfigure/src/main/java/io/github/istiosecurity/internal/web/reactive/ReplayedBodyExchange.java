package io.github.istiosecurity.internal.web.reactive;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.codec.FormHttpMessageReader;
import org.springframework.http.codec.multipart.DefaultPartHttpMessageReader;
import org.springframework.http.codec.multipart.MultipartHttpMessageReader;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * The exchange after the start of its body was read for a CUSTOM check
 * ({@link BodyForCheck}): an exchange reads form and multipart data from the request it
 * was created with, whose body is consumed now, so both are read here from the request
 * that replays the whole body, as WebFlux's own exchange reads them (same readers, same
 * types).
 */
final class ReplayedBodyExchange extends ServerWebExchangeDecorator {

	private static final ResolvableType FORM_DATA = ResolvableType.forClassWithGenerics(MultiValueMap.class,
			String.class, String.class);

	private static final ResolvableType MULTIPART_DATA = ResolvableType.forClassWithGenerics(MultiValueMap.class,
			String.class, Part.class);

	private final Mono<MultiValueMap<String, String>> formData;

	private final Mono<MultiValueMap<String, Part>> multipartData;

	ReplayedBodyExchange(ServerWebExchange exchange, ServerHttpRequest request) {
		super(exchange);
		MediaType type = contentType(request);
		this.formData = (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type))
				? new FormHttpMessageReader().readMono(FORM_DATA, request, Map.of())
					.switchIfEmpty(Mono.fromSupplier(LinkedMultiValueMap::new))
					.cache()
				: Mono.fromSupplier(LinkedMultiValueMap::new);
		this.multipartData = (type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type))
				? new MultipartHttpMessageReader(new DefaultPartHttpMessageReader())
					.readMono(MULTIPART_DATA, request, Map.of())
					.switchIfEmpty(Mono.fromSupplier(LinkedMultiValueMap::new))
					.cache()
				: Mono.fromSupplier(LinkedMultiValueMap::new);
	}

	private static @org.jspecify.annotations.Nullable MediaType contentType(ServerHttpRequest request) {
		try {
			return request.getHeaders().getContentType();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	@Override
	public Mono<MultiValueMap<String, String>> getFormData() {
		return this.formData;
	}

	@Override
	public Mono<MultiValueMap<String, Part>> getMultipartData() {
		return this.multipartData;
	}

}
