package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;

/**
 * A real JWKS endpoint on loopback (JDK HTTP server, random port) whose key set a test can change while it
 * runs, e.g. to rotate keys. Serves only public keys.
 */
public final class JwksServer implements AutoCloseable {

	private final HttpServer server;

	private final AtomicReference<JWKSet> keys = new AtomicReference<>(new JWKSet());

	private final AtomicInteger requests = new AtomicInteger();

	public JwksServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/jwks.json", (exchange) -> {
			this.requests.incrementAndGet();
			byte[] body = this.keys.get().toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	/** Publishes exactly these keys. */
	public JwksServer publish(JWK... keys) {
		this.keys.set(new JWKSet(List.of(keys)));
		return this;
	}

	public String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks.json";
	}

	public int requests() {
		return this.requests.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
