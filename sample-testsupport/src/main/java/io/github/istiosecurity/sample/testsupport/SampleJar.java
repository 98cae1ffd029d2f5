package io.github.istiosecurity.sample.testsupport;

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

import javax.net.ssl.SSLContext;

/**
 * A packaged sample jar started as a separate process on a free loopback port, exactly as
 * a user starts it:
 * {@code java -jar <jar> --server.port=P --server.address=127.0.0.1 ...}. Its output goes
 * to {@code target/<name>.log}, for the assertions and for failures. A sample started
 * with a TLS context serves HTTPS (the arguments configure that) and is spoken to over
 * HTTPS with that context.
 */
public final class SampleJar implements AutoCloseable {

	private static final HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String name;

	private final Process process;

	private final int port;

	private final Path log;

	private final HttpClient client;

	private final String scheme;

	private SampleJar(String name, Process process, int port, Path log, SSLContext tls) {
		this.name = name;
		this.process = process;
		this.port = port;
		this.log = log;
		this.client = (tls != null) ? client(tls) : plain;
		this.scheme = (tls != null) ? "https" : "http";
	}

	/**
	 * Returns an HTTP/1.1 client with a TLS context, for requests to a sample that serves
	 * HTTPS.
	 * @param tls the context: the client certificate it presents, the authorities it
	 * trusts
	 * @return the client
	 */
	public static HttpClient client(SSLContext tls) {
		return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).build();
	}

	/**
	 * Returns the jar a failsafe system property names.
	 * @param property the property, such as {@code httpbin.jar}
	 * @return the jar
	 */
	public static Path jar(String property) {
		String jar = System.getProperty(property);
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("The packaged jar is missing (system property " + property + " = " + jar
					+ "); run the black-box tests with './mvnw verify'");
		}
		return Path.of(jar);
	}

	/**
	 * Starts the jar and returns once it answers HTTP at all (any status), or fails with
	 * its output.
	 * @param name a name for the log file
	 * @param jar the jar
	 * @param arguments further command-line arguments
	 * @return the running sample
	 * @throws IOException if the process cannot be started
	 */
	public static SampleJar start(String name, Path jar, String... arguments) throws IOException {
		return start(name, jar, (SSLContext) null, arguments);
	}

	/**
	 * Starts the jar serving HTTPS and returns once it answers HTTPS at all (any status),
	 * or fails with its output.
	 * @param name a name for the log file
	 * @param jar the jar
	 * @param tls the client context to speak to it with, or {@code null} for plain HTTP
	 * @param arguments further command-line arguments, including the server's TLS
	 * configuration
	 * @return the running sample
	 * @throws IOException if the process cannot be started
	 */
	public static SampleJar start(String name, Path jar, SSLContext tls, String... arguments) throws IOException {
		SampleJar sample = launch(name, jar, tls, arguments);
		sample.awaitReady(Duration.ofSeconds(90));
		return sample;
	}

	/**
	 * Starts the jar without waiting for it.
	 * @param name a name for the log file
	 * @param jar the jar
	 * @param arguments further command-line arguments
	 * @return the process
	 * @throws IOException if the process cannot be started
	 */
	public static SampleJar launch(String name, Path jar, String... arguments) throws IOException {
		return launch(name, jar, (SSLContext) null, arguments);
	}

	private static SampleJar launch(String name, Path jar, SSLContext tls, String... arguments) throws IOException {
		int port = freePort();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
						jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
		command.addAll(List.of(arguments));
		Path log = Path.of("target", name + ".log").toAbsolutePath();
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new SampleJar(name, process, port, log, tls);
	}

	private void awaitReady(Duration timeout) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with " + this.process.exitValue() + ":\n" + output());
			}
			try {
				send("GET", "/");
				return;
			}
			catch (IOException ex) {
				pause(200);
			}
		}
		close();
		throw new IllegalStateException(this.name + " did not answer within " + timeout + ":\n" + output());
	}

	/**
	 * Waits until the output contains the text.
	 * @param text the text
	 * @param timeout how long to wait
	 * @return the output then
	 * @throws IOException if the log cannot be read
	 */
	public String awaitOutput(String text, Duration timeout) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			String output = output();
			if (output.contains(text)) {
				return output;
			}
			pause(200);
		}
		throw new IllegalStateException(
				this.name + " did not print '" + text + "' within " + timeout + ":\n" + output());
	}

	/**
	 * Waits for the process to end by itself.
	 * @param timeout how long to wait
	 * @return its exit code
	 * @throws InterruptedException if interrupted
	 */
	public int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			close();
			throw new IllegalStateException(this.name + " did not exit within " + timeout);
		}
		return this.process.exitValue();
	}

	/**
	 * Returns what the process printed so far.
	 * @return standard output and error
	 * @throws IOException if the log cannot be read
	 */
	public String output() throws IOException {
		return Files.exists(this.log) ? Files.readString(this.log) : "";
	}

	/**
	 * Sends a request without a body.
	 * @param method the method
	 * @param path the path and query
	 * @param headers header names and values, alternating
	 * @return the response
	 * @throws IOException if the exchange fails
	 */
	public HttpResponse<String> send(String method, String path, String... headers) throws IOException {
		return send(method, path, HttpRequest.BodyPublishers.noBody(), headers);
	}

	/**
	 * Sends a request.
	 * @param method the method
	 * @param path the path and query
	 * @param body the body
	 * @param headers header names and values, alternating
	 * @return the response
	 * @throws IOException if the exchange fails
	 */
	public HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers)
			throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, body);
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	/**
	 * Returns where the sample listens.
	 * @return {@code http://127.0.0.1:<port>}, or {@code https://...} when started with a
	 * TLS context
	 */
	public String url() {
		return this.scheme + "://127.0.0.1:" + this.port;
	}

	/**
	 * Returns the process id, for the JDK's diagnostic tools ({@code jcmd}).
	 * @return the pid
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Returns whether the process is still running.
	 * @return whether it is alive
	 */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Returns the port the sample listens on.
	 * @return the port
	 */
	public int port() {
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
