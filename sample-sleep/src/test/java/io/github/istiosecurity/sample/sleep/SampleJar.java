package io.github.istiosecurity.sample.sleep;

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
 * A packaged sample jar started as a separate process on a free loopback port, as a user starts it
 * ({@code java -jar <jar> --server.port=P ...}); its output goes to {@code target/<name>.log}.
 */
final class SampleJar implements AutoCloseable {

	private static final HttpClient client = HttpClient.newHttpClient();

	private final String name;

	private final Process process;

	private final int port;

	private final Path log;

	private SampleJar(String name, Process process, int port, Path log) {
		this.name = name;
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/** The jar a failsafe system property names ({@code httpbin.jar}, {@code sleep.jar}). */
	static Path jar(String property) {
		String jar = System.getProperty(property);
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("The packaged jar is missing (system property " + property + " = " + jar
					+ "); run the end-to-end tests with './mvnw verify'");
		}
		return Path.of(jar);
	}

	/** Starts the jar and returns once it answers HTTP at all, or fails with its output. */
	static SampleJar start(String name, Path jar, String... arguments) throws IOException {
		SampleJar sample = launch(name, jar, arguments);
		sample.awaitReady(Duration.ofSeconds(90));
		return sample;
	}

	static SampleJar launch(String name, Path jar, String... arguments) throws IOException {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(List.of(arguments));
		Path log = Path.of("target", name + ".log").toAbsolutePath();
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new SampleJar(name, process, port, log);
	}

	private void awaitReady(Duration timeout) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue() + ":\n" + output());
			}
			try {
				send("GET", "/", null);
				return;
			}
			catch (IOException ex) {
				pause(200);
			}
		}
		close();
		throw new IllegalStateException(this.name + " did not answer within " + timeout + ":\n" + output());
	}

	/** Waits until the output contains the text, or fails with the output. */
	String awaitOutput(String text, Duration timeout) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			String output = output();
			if (output.contains(text)) {
				return output;
			}
			pause(200);
		}
		throw new IllegalStateException(this.name + " did not print '" + text + "' within " + timeout + ":\n" + output());
	}

	/** Waits for the process to end by itself and returns its exit code. */
	int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			close();
			throw new IllegalStateException(this.name + " did not exit within " + timeout);
		}
		return this.process.exitValue();
	}

	String output() throws IOException {
		return Files.exists(this.log) ? Files.readString(this.log) : "";
	}

	HttpResponse<String> send(String method, String path, String authorization) throws IOException {
		return send(method, path, authorization, HttpRequest.BodyPublishers.noBody());
	}

	HttpResponse<String> send(String method, String path, String authorization, HttpRequest.BodyPublisher body)
			throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, body);
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	String url() {
		return "http://127.0.0.1:" + this.port;
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

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
