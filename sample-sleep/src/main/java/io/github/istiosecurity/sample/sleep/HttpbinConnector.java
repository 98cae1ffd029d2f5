package io.github.istiosecurity.sample.sleep;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * The connection to httpbin: Reactor Netty, bounded by {@code sleep.timeout} for connecting and for the
 * answer, so an absent httpbin makes a quick, clear failure rather than a hung request.
 */
final class HttpbinConnector {

	private HttpbinConnector() {
	}

	static ClientHttpConnector of(SleepProperties properties) {
		int connectMillis = (int) Math.min(Integer.MAX_VALUE, properties.timeout().toMillis());
		return new ReactorClientHttpConnector(HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
			.responseTimeout(properties.timeout()));
	}

}
