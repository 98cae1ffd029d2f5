package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An external authorizer that speaks Envoy's HTTP ext_authz protocol on 127.0.0.1, as an
 * OPA or oauth2-proxy behind an {@code envoyExtAuthzHttp} provider would: it answers by
 * the {@link AuthorizerCase} named in the check request and records every check it
 * receives.
 */
public final class HttpAuthorizer implements AutoCloseable {

	/**
	 * One check request as the authorizer received it.
	 *
	 * @param method the method
	 * @param path the path with query
	 * @param headers the headers, names in lower case
	 * @param body the body
	 */
	public record Check(String method, String path, Map<String, String> headers, String body) {
	}

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "http-authorizer");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Check> checks = new CopyOnWriteArrayList<>();

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));

	public HttpAuthorizer() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::answer);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	/** The checks received so far. */
	public List<Check> checks() {
		return List.copyOf(this.checks);
	}

	/** The last check received. */
	public Check lastCheck() {
		return this.checks.get(this.checks.size() - 1);
	}

	/** How many {@link AuthorizerCase#SLOW} checks are waiting. */
	public int waiting() {
		return this.waiting.get();
	}

	/** Lets every waiting {@link AuthorizerCase#SLOW} check answer (allow). */
	public void releaseSlow() {
		this.release.getAndSet(new CountDownLatch(1)).countDown();
	}

	private void answer(HttpExchange exchange) throws IOException {
		Map<String, String> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders()
			.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		this.checks.add(new Check(exchange.getRequestMethod(),
				exchange.getRequestURI().getRawPath() + ((exchange.getRequestURI().getRawQuery() != null)
						? "?" + exchange.getRequestURI().getRawQuery() : ""),
				headers, body));
		String answer = headers.getOrDefault(AuthorizerCase.HEADER, AuthorizerCase.ALLOW);
		switch (answer) {
			case AuthorizerCase.DENY -> {
				exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"authz\"");
				exchange.getResponseHeaders().add("X-Deny-Reason", "policy");
				exchange.getResponseHeaders().add("X-Hidden", "secret");
				send(exchange, 401, AuthorizerCase.DENIED_BODY);
			}
			case AuthorizerCase.REDIRECT -> {
				exchange.getResponseHeaders().add("Location", "https://login.example.com/start");
				send(exchange, 302, "");
			}
			case AuthorizerCase.ERROR -> send(exchange, 500, "boom");
			case AuthorizerCase.SLOW -> {
				CountDownLatch latch = this.release.get();
				this.waiting.incrementAndGet();
				try {
					latch.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					this.waiting.decrementAndGet();
				}
				send(exchange, 200, "");
			}
			default -> {
				exchange.getResponseHeaders().add("X-Authz-User", "alice");
				exchange.getResponseHeaders().add("X-Other", "not-for-upstream");
				exchange.getResponseHeaders().add("X-Client-Note", "hello");
				exchange.getResponseHeaders().add("x-envoy-auth-headers-to-remove", "x-remove-me");
				send(exchange, 200, "");
			}
		}
	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		try {
			exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
			if (bytes.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			}
		}
		catch (IOException ex) {
			// the client gave up (timeout) and closed the connection
		}
		finally {
			exchange.close();
		}
	}

	@Override
	public void close() {
		releaseSlow();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
