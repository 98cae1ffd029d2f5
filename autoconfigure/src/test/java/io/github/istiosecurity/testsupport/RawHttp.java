package io.github.istiosecurity.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A deliberately dumb HTTP/1.x client for tests that must put exact bytes on the wire: an
 * absolute-form request-target, a missing {@code Host}, HTTP/1.0, repeated or odd
 * headers, none of which a real client (which normalizes the request) would send. It
 * writes what it is given, byte for byte (ISO-8859-1), and reads responses strictly:
 * status line, header fields, then a body framed by {@code Transfer-Encoding: chunked},
 * {@code Content-Length} or the end of the connection. Every read has a timeout and every
 * size a bound, so a misbehaving server fails the test instead of hanging it or
 * exhausting memory.
 * <p>
 * One instance is one connection on loopback; it can carry several requests (keep-alive,
 * pipelining).
 */
public final class RawHttp implements AutoCloseable {

	/** The read timeout unless a test asks for another. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_LINE = 16 * 1024;

	private static final int MAX_HEADER_FIELDS = 200;

	private static final int MAX_BODY = 4 * 1024 * 1024;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawHttp(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Connects to a server on 127.0.0.1 with the default read timeout.
	 * @param port the server's port
	 * @return the connection
	 */
	public static RawHttp connect(int port) {
		return connect(port, DEFAULT_TIMEOUT);
	}

	/**
	 * Connects to a server on 127.0.0.1.
	 * @param port the server's port
	 * @param timeout the bound of the connect and of every single read
	 * @return the connection
	 */
	public static RawHttp connect(int port, Duration timeout) {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			socket.setTcpNoDelay(true);
			return new RawHttp(socket);
		}
		catch (IOException ex) {
			closeQuietly(socket);
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends one request on a new connection and reads one response (the response to a
	 * {@code HEAD} request is read without a body).
	 * @param port the server's port
	 * @param request the exact request text, line ends included
	 * @return the response
	 */
	public static Response exchange(int port, String request) {
		try (RawHttp http = connect(port)) {
			http.send(request);
			return request.startsWith("HEAD ") ? http.readHeadResponse() : http.read();
		}
	}

	/**
	 * Sends one HTTP/1.1 request on a new connection, with {@code Host: 127.0.0.1:<port>}
	 * and {@code Connection: close}, and reads its response. The method and the
	 * request-target are sent as written (the target as UTF-8, so raw non-ASCII bytes can
	 * be sent too).
	 * @param port the server's port
	 * @param method the method
	 * @param target the request-target
	 * @param headers further header names and values, alternating
	 * @return the response
	 */
	public static Response request(int port, String method, String target, String... headers) {
		StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		request.append("Host: 127.0.0.1:").append(port).append("\r\n");
		for (int i = 0; i < headers.length; i += 2) {
			request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		try (RawHttp http = connect(port)) {
			http.send(request.toString().getBytes(StandardCharsets.UTF_8));
			return method.equals("HEAD") ? http.readHeadResponse() : http.read();
		}
	}

	/**
	 * Writes text as ISO-8859-1 bytes, exactly as given.
	 * @param text the bytes to send, one char per byte
	 * @return this connection
	 */
	public RawHttp send(String text) {
		return send(text.getBytes(StandardCharsets.ISO_8859_1));
	}

	/**
	 * Writes bytes exactly as given.
	 * @param bytes the bytes to send
	 * @return this connection
	 */
	public RawHttp send(byte[] bytes) {
		try {
			this.out.write(bytes);
			this.out.flush();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads the next response, with the body its framing announces.
	 * @return the response
	 */
	public Response read() {
		return read(false);
	}

	/**
	 * Reads the next response to a {@code HEAD} request: header fields only, whatever
	 * they announce.
	 * @return the response
	 */
	public Response readHeadResponse() {
		return read(true);
	}

	/**
	 * Whether the server closes the connection within the read timeout, reading (and
	 * discarding at most a bounded amount of) anything it still sends.
	 * @return whether the end of the stream was reached
	 */
	public boolean closedByPeer() {
		try {
			byte[] buffer = new byte[8192];
			long discarded = 0;
			while (discarded < MAX_BODY) {
				int read = this.in.read(buffer);
				if (read < 0) {
					return true;
				}
				discarded += read;
			}
			return false;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			// a reset is a close too
			return true;
		}
	}

	@Override
	public void close() {
		closeQuietly(this.socket);
	}

	private Response read(boolean head) {
		try {
			String statusLine = readLine();
			String[] parts = statusLine.split(" ", 3);
			if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
				throw new IllegalStateException("Not a status line: " + statusLine);
			}
			int status = Integer.parseInt(parts[1]);
			List<Map.Entry<String, String>> headers = readFields();
			Response headersOnly = new Response(parts[0], status, (parts.length > 2) ? parts[2] : "", headers, "");
			if (head || status / 100 == 1 || status == 204 || status == 304) {
				return headersOnly;
			}
			String transferEncoding = headersOnly.header("transfer-encoding");
			String contentLength = headersOnly.header("content-length");
			byte[] body;
			if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
				body = readChunked();
			}
			else if (contentLength != null) {
				body = readExactly(Long.parseLong(contentLength.trim()));
			}
			else {
				body = readToEnd();
			}
			return new Response(parts[0], status, headersOnly.reason(), headers,
					new String(body, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private List<Map.Entry<String, String>> readFields() throws IOException {
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		for (String line = readLine(); !line.isEmpty(); line = readLine()) {
			if (fields.size() == MAX_HEADER_FIELDS) {
				throw new IllegalStateException("More than " + MAX_HEADER_FIELDS + " header fields");
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new IllegalStateException("Not a header field: " + line);
			}
			fields.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
		}
		return List.copyOf(fields);
	}

	private byte[] readChunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String sizeLine = readLine();
			int extension = sizeLine.indexOf(';');
			int size = Integer.parseInt(((extension >= 0) ? sizeLine.substring(0, extension) : sizeLine).trim(), 16);
			if (size == 0) {
				readFields(); // trailer section
				return body.toByteArray();
			}
			if (body.size() + size > MAX_BODY) {
				throw new IllegalStateException("Body larger than " + MAX_BODY + " bytes");
			}
			body.write(readExactly(size));
			if (!readLine().isEmpty()) {
				throw new IllegalStateException("Chunk not followed by CRLF");
			}
		}
	}

	private byte[] readExactly(long length) throws IOException {
		if (length < 0 || length > MAX_BODY) {
			throw new IllegalStateException("Body length out of bounds: " + length);
		}
		byte[] bytes = this.in.readNBytes((int) length);
		if (bytes.length < length) {
			throw new EOFException("Body ended after " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	private byte[] readToEnd() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		for (int read = this.in.read(buffer); read >= 0; read = this.in.read(buffer)) {
			if (body.size() + read > MAX_BODY) {
				throw new IllegalStateException("Body larger than " + MAX_BODY + " bytes");
			}
			body.write(buffer, 0, read);
		}
		return body.toByteArray();
	}

	/** One line without its CRLF (a bare LF is accepted as the end too). */
	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		while (true) {
			int b = this.in.read();
			if (b < 0) {
				throw new EOFException("Connection closed" + (line.isEmpty() ? "" : " within a line: " + line));
			}
			if (b == '\n') {
				int end = line.length();
				return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
			}
			if (line.length() == MAX_LINE) {
				throw new IllegalStateException("Line longer than " + MAX_LINE + " bytes");
			}
			line.append((char) b);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
	}

	/**
	 * One response as it came off the wire.
	 *
	 * @param version the protocol of the status line, e.g. {@code HTTP/1.1}
	 * @param status the status code
	 * @param reason the reason phrase (possibly empty)
	 * @param headers the header fields in order, names as sent, values trimmed
	 * @param body the body decoded as UTF-8 (empty for {@code HEAD}, 1xx, 204 and 304)
	 */
	public record Response(String version, int status, String reason, List<Map.Entry<String, String>> headers,
			String body) {

		/**
		 * The first value of a header field.
		 * @param name the field name, in any case
		 * @return the value, or {@code null}
		 */
		public @Nullable String header(String name) {
			for (Map.Entry<String, String> field : this.headers) {
				if (field.getKey().equalsIgnoreCase(name)) {
					return field.getValue();
				}
			}
			return null;
		}

		/**
		 * Every value of a header field, in order.
		 * @param name the field name, in any case
		 * @return the values
		 */
		public List<String> headers(String name) {
			return this.headers.stream()
				.filter((field) -> field.getKey().equalsIgnoreCase(name))
				.map(Map.Entry::getValue)
				.collect(Collectors.toList());
		}

		@Override
		public String toString() {
			return this.version + " " + this.status + " " + this.reason + " " + this.headers + " " + this.body;
		}

	}

}
