package io.github.istiosecurity.sample.sleep;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/**
 * The connection to httpbin: Reactor Netty, bounded by {@code sleep.timeout} for
 * connecting and for the answer, so an absent httpbin makes a quick, clear failure rather
 * than a hung request. With Spring Boot's {@code spring.http.clients.ssl.bundle} set
 * (profile {@code mtls}), {@code https} calls present that bundle's key and certificate
 * (sleep's SPIFFE identity) and trust that bundle's CA.
 */
final class HttpbinConnector {

	private HttpbinConnector() {
	}

	static ClientHttpConnector of(SleepProperties properties, @Nullable HttpClientSettings settings) {
		int connectMillis = (int) Math.min(Integer.MAX_VALUE, properties.timeout().toMillis());
		HttpClient client = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
			.responseTimeout(properties.timeout());
		SslBundle bundle = (settings != null) ? settings.sslBundle() : null;
		if (bundle != null) {
			SslContext context = clientContext(bundle);
			client = client.secure((spec) -> spec.sslContext(context));
		}
		return new ReactorClientHttpConnector(client);
	}

	/**
	 * The bundle as Spring Boot's own Reactor client builder applies it: key, trust,
	 * ciphers, protocols.
	 */
	private static SslContext clientContext(SslBundle bundle) {
		SslOptions options = bundle.getOptions();
		try {
			return SslContextBuilder.forClient()
				.keyManager(bundle.getManagers().getKeyManagerFactory())
				.trustManager(bundle.getManagers().getTrustManagerFactory())
				.ciphers(SslOptions.asSet(options.getCiphers()))
				.protocols(options.getEnabledProtocols())
				.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("The SSL bundle for httpbin cannot make a TLS client: " + ex.getMessage(),
					ex);
		}
	}

}
