package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;

/**
 * A real HTTPS client for tests against a server on loopback ({@code 127.0.0.1}),
 * presenting the client certificate of its TLS context, if any. One HTTP client per TLS
 * context, so connections are reused as a real client reuses them. A failed handshake is
 * the {@link IOException} it is.
 */
public final class Https {

	private static final Map<SSLContext, HttpClient> clients = new ConcurrentHashMap<>();

	private final String base;

	private final HttpClient client;

	public Https(int port, SSLContext tls) {
		this.base = "https://127.0.0.1:" + port;
		this.client = clients.computeIfAbsent(tls,
				(context) -> HttpClient.newBuilder()
					.sslContext(context)
					.version(HttpClient.Version.HTTP_1_1)
					.connectTimeout(Duration.ofSeconds(5))
					.build());
	}

	public HttpResponse<String> get(String path, String... headers) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(20));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public int status(String path, String... headers) throws IOException {
		return get(path, headers).statusCode();
	}

}
