package io.github.istiosecurity.sample.httpbin;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged sample-httpbin jar started as a separate process on a free loopback port, exactly as a user
 * starts it: {@code java -jar sample-httpbin-<version>.jar --server.port=P ...}. Its output goes to a file
 * under {@code target/} for failures.
 */
final class HttpbinJar implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private HttpbinJar(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	static Path jar() {
		String jar = System.getProperty("httpbin.jar");
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("The packaged jar is missing (system property httpbin.jar = " + jar
					+ "); run the integration tests with './mvnw verify'");
		}
		return Path.of(jar);
	}

	/** Starts the jar and returns once it answers HTTP, or fails with its log. */
	static HttpbinJar start(String name, String... arguments) throws IOException {
		HttpbinJar jar = launch(name, arguments);
		jar.awaitReady(Duration.ofSeconds(90));
		return jar;
	}

	static HttpbinJar launch(String name, String... arguments) throws IOException {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-jar", jar().toString(),
				"--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(List.of(arguments));
		Path log = Path.of("target", "httpbin-" + name + ".log").toAbsolutePath();
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new HttpbinJar(process, port, log);
	}

	private void awaitReady(Duration timeout) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("sample-httpbin exited with " + this.process.exitValue() + ":\n" + output());
			}
			try {
				send("GET", "/status/200");
				return;
			}
			catch (IllegalStateException ex) {
				try {
					Thread.sleep(200);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(interrupted);
				}
			}
		}
		close();
		throw new IllegalStateException("sample-httpbin did not answer within " + timeout + ":\n" + output());
	}

	/** Waits for the process to end by itself and returns its exit code. */
	int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			close();
			throw new IllegalStateException("sample-httpbin did not exit within " + timeout);
		}
		return this.process.exitValue();
	}

	String output() throws IOException {
		return Files.exists(this.log) ? Files.readString(this.log) : "";
	}

	HttpResponse<String> send(String method, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.method(method, HttpRequest.BodyPublishers.noBody());
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
