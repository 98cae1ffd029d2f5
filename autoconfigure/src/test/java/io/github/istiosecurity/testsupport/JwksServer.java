package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real JWKS endpoint on 127.0.0.1 (JDK {@link HttpServer} on a free port), with OpenID
 * discovery, whose key set, status and delay tests change while it runs, and whose
 * responses tests can hold back.
 */
public final class JwksServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final AtomicInteger jwksRequests = new AtomicInteger();

	private final AtomicInteger discoveryRequests = new AtomicInteger();

	private volatile String jwks;

	private volatile int status = 200;

	private volatile Duration delay = Duration.ZERO;

	/** While set, responses wait for it (at most a minute). */
	private volatile CountDownLatch gate;

	public JwksServer() throws IOException {
		this(new JWKSet().toString());
	}

	public JwksServer(String jwks) throws IOException {
		this.jwks = jwks;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/jwks.json", (exchange) -> {
			this.jwksRequests.incrementAndGet();
			respond(exchange, this.status, this.jwks);
		});
		this.server.createContext("/.well-known/openid-configuration", (exchange) -> {
			this.discoveryRequests.incrementAndGet();
			respond(exchange, 200, "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUri() + "\"}");
		});
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	private void respond(HttpExchange exchange, int status, String body) throws IOException {
		try {
			CountDownLatch gate = this.gate;
			if (gate != null) {
				gate.await(1, TimeUnit.MINUTES);
			}
			Thread.sleep(this.delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			exchange.close();
			return;
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** An issuer whose OpenID configuration this server answers. */
	public String issuer() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	public String jwksUri() {
		return issuer() + "/jwks.json";
	}

	/** Publishes exactly these keys (their public parts). */
	public JwksServer publish(JWK... keys) {
		this.jwks = new JWKSet(List.of(keys)).toPublicJWKSet().toString();
		return this;
	}

	public void publish(String jwks) {
		this.jwks = jwks;
	}

	public void status(int status) {
		this.status = status;
	}

	public void delay(Duration delay) {
		this.delay = delay;
	}

	/**
	 * Holds every response (the ones under way and the next ones) until
	 * {@link #release()}.
	 */
	public void hold() {
		this.gate = new CountDownLatch(1);
	}

	/** Lets the held responses go. */
	public void release() {
		CountDownLatch gate = this.gate;
		this.gate = null;
		if (gate != null) {
			gate.countDown();
		}
	}

	public int jwksRequests() {
		return this.jwksRequests.get();
	}

	public int discoveryRequests() {
		return this.discoveryRequests.get();
	}

	/** A URI on a port where nothing listens. */
	public static String closedPortUri() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		return "http://127.0.0.1:" + port + "/jwks.json";
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
		this.server.stop(0);
	}

}
