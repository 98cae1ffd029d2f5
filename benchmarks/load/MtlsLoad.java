import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A closed-loop HTTP/1.1 load client that can present a client certificate, which wrk cannot: a fixed number of
 * connections, each on its own thread, sends {@code GET} requests one after the other for a bounded time, then
 * prints requests/s and the exact p50 and p99 of the latencies it recorded (all of them, sorted).
 * <p>
 * Run with the JDK's source launcher (no build):
 * <pre>
 * java benchmarks/load/MtlsLoad.java --url https://127.0.0.1:8000/get --key-store sample-httpbin/demo/mesh/sleep.p12 \
 *     --trust-store sample-httpbin/demo/mesh/truststore.p12 --header "Authorization: Bearer $(cat user1.jwt)" \
 *     --connections 32 --warmup 15 --duration 10 --modes keepalive,new
 * </pre>
 * Modes, each preceded by its own warm-up (which is not recorded), run in the order given:
 * <ul>
 * <li>{@code keepalive}: one connection per thread for the whole run (a TLS handshake only when a connection is
 * opened), so a request costs what the server does per request, including reading the peer's identity;</li>
 * <li>{@code new}: a new connection for every request ({@code Connection: close}), with a full TLS handshake
 * each time: the client's TLS session is invalidated after use so it is never resumed.</li>
 * </ul>
 * Each mode prints one line {@code RESULT mode=... rps=... p50_ms=... p99_ms=... non200=... errors=...} for
 * scripts. Latencies are measured from writing the request (after connecting, in mode {@code new}: from opening
 * the connection) to reading the last byte of the response; like wrk, a closed loop does not correct for
 * coordinated omission. Every read has a 10 s time-out and every phase stops by itself.
 */
public class MtlsLoad {

	private static final int READ_TIMEOUT_MILLIS = 10_000;

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		SSLContext tls = options.url.getScheme().equals("https") ? sslContext(options) : null;
		for (String mode : options.modes) {
			boolean newConnections = switch (mode) {
				case "keepalive" -> false;
				case "new" -> true;
				default -> throw new IllegalArgumentException("unknown mode " + mode + " (keepalive, new)");
			};
			if (options.warmupSeconds > 0) {
				run(options, tls, newConnections, options.warmupSeconds);
			}
			Result result = run(options, tls, newConnections, options.durationSeconds);
			System.out.println(result.describe(mode, options));
		}
		// Threads that hung past their deadline (a server that stopped answering) must not keep the JVM alive.
		System.exit(0);
	}

	private static Result run(Options options, SSLContext tls, boolean newConnections, double seconds)
			throws InterruptedException {
		long start = System.nanoTime();
		long deadline = start + (long) (seconds * 1e9);
		List<Worker> workers = new ArrayList<>();
		for (int i = 0; i < options.connections; i++) {
			Worker worker = new Worker(options, tls, newConnections, deadline);
			workers.add(worker);
			worker.thread.start();
		}
		for (Worker worker : workers) {
			worker.thread.join(READ_TIMEOUT_MILLIS * 2L + (long) (seconds * 1000));
		}
		double elapsed = (System.nanoTime() - start) / 1e9;
		return Result.of(workers, elapsed);
	}

	private static SSLContext sslContext(Options options) throws Exception {
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(load(options.trustStore, options.password));
		KeyManagerFactory keys = null;
		if (options.keyStore != null) {
			keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(load(options.keyStore, options.password), options.password.toCharArray());
		}
		SSLContext context = SSLContext.getInstance("TLS");
		context.init((keys != null) ? keys.getKeyManagers() : null, trust.getTrustManagers(), null);
		return context;
	}

	private static KeyStore load(String path, String password) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(path)) {
			store.load(in, password.toCharArray());
		}
		return store;
	}

	/** One connection's loop on its own thread; its latencies in its own array, merged at the end. */
	private static final class Worker implements Runnable {

		final Thread thread = new Thread(this, "load");

		private final Options options;

		private final SSLContext tls;

		private final boolean newConnections;

		private final long deadline;

		private final byte[] request;

		long[] latencies = new long[1 << 14];

		int count;

		long non200;

		long errors;

		long connectionsOpened;

		Worker(Options options, SSLContext tls, boolean newConnections, long deadline) {
			this.options = options;
			this.tls = tls;
			this.newConnections = newConnections;
			this.deadline = deadline;
			this.request = options.request(newConnections);
			this.thread.setDaemon(true);
		}

		@Override
		public void run() {
			Socket socket = null;
			InputStream in = null;
			OutputStream out = null;
			while (System.nanoTime() < this.deadline) {
				long begin = System.nanoTime();
				try {
					if (socket == null) {
						socket = open();
						in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
						out = socket.getOutputStream();
						if (!this.newConnections) {
							begin = System.nanoTime(); // keep-alive: the (rare) reconnect is not a request's latency
						}
					}
					out.write(this.request);
					out.flush();
					boolean keepOpen = readResponse(in);
					record(System.nanoTime() - begin);
					if (this.newConnections || !keepOpen) {
						close(socket);
						socket = null;
					}
				}
				catch (IOException ex) {
					this.errors++;
					close(socket);
					socket = null;
				}
			}
			close(socket);
		}

		private Socket open() throws IOException {
			this.connectionsOpened++;
			Socket plain = new Socket();
			plain.setTcpNoDelay(true);
			plain.connect(new InetSocketAddress(this.options.url.getHost(), this.options.url.getPort()),
					READ_TIMEOUT_MILLIS);
			plain.setSoTimeout(READ_TIMEOUT_MILLIS);
			if (this.tls == null) {
				return plain;
			}
			SSLSocket socket = (SSLSocket) this.tls.getSocketFactory()
				.createSocket(plain, this.options.url.getHost(), this.options.url.getPort(), true);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the server certificate names 127.0.0.1
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			return socket;
		}

		private void close(Socket socket) {
			if (socket == null) {
				return;
			}
			if (this.newConnections && socket instanceof SSLSocket ssl) {
				// Never resumed: the next connection makes a full handshake (certificates sent and verified).
				ssl.getSession().invalidate();
			}
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

		/** Reads one response (Content-Length or chunked body); answers whether the connection stays open. */
		private boolean readResponse(InputStream in) throws IOException {
			String status = line(in);
			if (!status.startsWith("HTTP/1.1 200 ")) {
				this.non200++;
			}
			long length = -1;
			boolean chunked = false;
			boolean keepOpen = true;
			for (String header = line(in); !header.isEmpty(); header = line(in)) {
				int colon = header.indexOf(':');
				if (colon < 0) {
					continue;
				}
				String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
				String value = header.substring(colon + 1).trim();
				switch (name) {
					case "content-length" -> length = Long.parseLong(value);
					case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
					case "connection" -> keepOpen = !value.equalsIgnoreCase("close");
					default -> {
					}
				}
			}
			if (chunked) {
				for (long size = Long.parseLong(chunkSize(line(in)), 16); size > 0; size = Long
					.parseLong(chunkSize(line(in)), 16)) {
					skip(in, size);
					line(in);
				}
				while (!line(in).isEmpty()) {
					// trailers
				}
			}
			else if (length >= 0) {
				skip(in, length);
			}
			else {
				throw new IOException("a response without Content-Length or chunked encoding");
			}
			return keepOpen;
		}

		private static String chunkSize(String line) {
			int extension = line.indexOf(';');
			return ((extension < 0) ? line : line.substring(0, extension)).trim();
		}

		private static String line(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder(64);
			for (int b = in.read(); b != '\n'; b = in.read()) {
				if (b < 0) {
					throw new EOFException("connection closed in a response");
				}
				if (b != '\r') {
					line.append((char) b);
				}
			}
			return line.toString();
		}

		private static void skip(InputStream in, long n) throws IOException {
			while (n > 0) {
				long skipped = in.skip(n);
				if (skipped <= 0) {
					if (in.read() < 0) {
						throw new EOFException("connection closed in a body");
					}
					skipped = 1;
				}
				n -= skipped;
			}
		}

		private void record(long nanos) {
			if (this.count == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.count * 2);
			}
			this.latencies[this.count++] = nanos;
		}

	}

	private record Result(long requests, double seconds, long p50, long p99, long non200, long errors,
			long connections) {

		static Result of(List<Worker> workers, double seconds) {
			int total = 0;
			long non200 = 0;
			long errors = 0;
			long connections = 0;
			for (Worker worker : workers) {
				total += worker.count;
				non200 += worker.non200;
				errors += worker.errors;
				connections += worker.connectionsOpened;
			}
			long[] all = new long[total];
			int at = 0;
			for (Worker worker : workers) {
				System.arraycopy(worker.latencies, 0, all, at, worker.count);
				at += worker.count;
			}
			Arrays.sort(all);
			return new Result(total, seconds, percentile(all, 0.50), percentile(all, 0.99), non200, errors,
					connections);
		}

		private static long percentile(long[] sorted, double p) {
			return (sorted.length == 0) ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
		}

		String describe(String mode, Options options) {
			return String.format(Locale.ROOT,
					"RESULT mode=%s connections=%d seconds=%.1f requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f "
							+ "non200=%d errors=%d opened=%d",
					mode, options.connections, this.seconds, this.requests, this.requests / this.seconds,
					this.p50 / 1e6, this.p99 / 1e6, this.non200, this.errors, this.connections);
		}

	}

	private record Options(URI url, List<String> headers, int connections, double warmupSeconds,
			double durationSeconds, List<String> modes, String keyStore, String trustStore, String password) {

		static Options parse(String[] args) {
			URI url = null;
			List<String> headers = new ArrayList<>();
			int connections = 32;
			double warmup = 10;
			double duration = 10;
			List<String> modes = List.of("keepalive");
			String keyStore = null;
			String trustStore = null;
			String password = "changeit";
			for (int i = 0; i + 1 < args.length; i += 2) {
				String value = args[i + 1];
				switch (args[i]) {
					case "--url" -> url = URI.create(value);
					case "--header" -> headers.add(value);
					case "--connections" -> connections = Integer.parseInt(value);
					case "--warmup" -> warmup = Double.parseDouble(value);
					case "--duration" -> duration = Double.parseDouble(value);
					case "--modes" -> modes = List.of(value.split(","));
					case "--key-store" -> keyStore = value;
					case "--trust-store" -> trustStore = value;
					case "--password" -> password = value;
					default -> throw new IllegalArgumentException("unknown option " + args[i]);
				}
			}
			if (args.length % 2 != 0 || url == null || url.getPort() < 0) {
				throw new IllegalArgumentException("usage: --url http[s]://host:port/path [--header 'Name: value']... "
						+ "[--connections 32] [--warmup 10] [--duration 10] [--modes keepalive,new] "
						+ "[--key-store client.p12] [--trust-store ca.p12] [--password changeit]");
			}
			if (url.getScheme().equals("https") && trustStore == null) {
				throw new IllegalArgumentException("https needs --trust-store");
			}
			return new Options(url, headers, connections, warmup, duration, modes, keyStore, trustStore, password);
		}

		byte[] request(boolean close) {
			StringBuilder request = new StringBuilder();
			request.append("GET ").append(this.url.getRawPath()).append(" HTTP/1.1\r\n");
			request.append("Host: ").append(this.url.getHost()).append(':').append(this.url.getPort()).append("\r\n");
			for (String header : this.headers) {
				request.append(header).append("\r\n");
			}
			if (close) {
				request.append("Connection: close\r\n");
			}
			return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
		}

	}

}
