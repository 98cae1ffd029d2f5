package io.github.istiosecurity.sample.sleep;

import java.time.Duration;

import io.github.istiosecurity.sample.sleep.WalkThroughStep.TokenPlacement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Replays the walk-through against httpbin: the requests of
 * {@code sample-httpbin/demo/README.md}, one after the other, with the demo tokens, each
 * answer compared with Istio's. Non-blocking throughout; the demo tokens are read from
 * the jar once, here, not on an event-loop thread.
 */
@Component
class WalkThroughReplay {

	private final WebClient httpbin;

	private final SleepProperties properties;

	WalkThroughReplay(WebClient.Builder builder, SleepProperties properties,
			ObjectProvider<HttpClientSettings> settings) {
		this.httpbin = builder.clone()
			.clientConnector(HttpbinConnector.of(properties, settings.getIfAvailable()))
			.build();
		this.properties = properties;
		for (WalkThroughStep step : WalkThrough.STEPS) {
			if (step.token() != null) {
				DemoTokens.value(step.token());
			}
		}
	}

	/** Replays every step in order. */
	Mono<Replay> replay() {
		return Flux.fromIterable(WalkThrough.STEPS)
			.concatMap(this::replay)
			.collectList()
			.map((rows) -> Replay.of(this.properties.httpbinUrl().toString(), rows));
	}

	/** Completes once httpbin answers anything at all, or fails after {@code wait}. */
	Mono<Void> awaitHttpbin(Duration wait) {
		Duration pause = Duration.ofMillis(500);
		return this.httpbin.get()
			.uri(this.properties.httpbin("/status/200"))
			.exchangeToMono((response) -> response.releaseBody())
			.timeout(this.properties.timeout())
			.retryWhen(Retry.fixedDelay(Math.max(1, wait.toMillis() / pause.toMillis()), pause));
	}

	private Mono<ReplayedStep> replay(WalkThroughStep step) {
		@Nullable String token = (step.token() != null) ? DemoTokens.value(step.token()) : null;
		String pathAndQuery = step.path();
		if (token != null && step.placement() == TokenPlacement.ACCESS_TOKEN_PARAMETER) {
			pathAndQuery += "?access_token=" + token; // base64url and dots: nothing to
														// encode
		}
		WebClient.RequestBodySpec request = this.httpbin.method(HttpMethod.valueOf(step.method()))
			.uri(this.properties.httpbin(pathAndQuery));
		if (token != null && step.placement() == TokenPlacement.BEARER) {
			request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
		}
		else if (token != null && step.placement() == TokenPlacement.LOWER_CASE_BEARER) {
			request.header(HttpHeaders.AUTHORIZATION, "bearer " + token);
		}
		return request
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new HttpbinResponse(response.statusCode().value(), response.headers().asHttpHeaders(),
						body)))
			.timeout(this.properties.timeout())
			.map((response) -> ReplayedStep.of(step, response))
			.onErrorResume((error) -> Mono.just(ReplayedStep.unreachable(step, error)));
	}

}
