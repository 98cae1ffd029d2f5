package io.github.istiosecurity.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 client over a plain socket that sends the request bytes exactly as given: the request-target is
 * not parsed, normalized or encoded (unlike {@link java.net.http.HttpClient} and {@link java.net.URI}), so a test
 * can send {@code /a/../b}, {@code /a%2fb}, a raw backslash or raw UTF-8 bytes the way an attacker would. One
 * request per connection ({@code Connection: close}); the answer is read by {@code Content-Length}, chunked
 * encoding or until the server closes, within a size limit and a read timeout.
 */
public final class RawHttp {

	/** The largest response (status line, headers and body) read before giving up. */
	private static final int MAX_RESPONSE_BYTES = 1 << 20;

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

	private final int port;

	/**
	 * Creates a client for a server on loopback.
	 * @param port the server's port on 127.0.0.1
	 */
	public RawHttp(int port) {
		this.port = port;
	}

	/**
	 * Sends one request made of a request line, {@code Host}, {@code Connection: close}, the given headers and no
	 * body. The request line is {@code method + " " + target + " HTTP/1.1"} encoded as UTF-8, so ASCII stays as
	 * written and a non-ASCII character goes out as its raw UTF-8 bytes.
	 * @param method the method token, sent as is
	 * @param target the request-target, sent as is
	 * @param headers name, value, name, value, ...
	 * @return the response
	 */
	public Response send(String method, String target, String... headers) {
		StringBuilder request = new StringBuilder();
		request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		request.append("Host: 127.0.0.1:").append(this.port).append("\r\n");
		request.append("Connection: close\r\n");
		for (int i = 0; i < headers.length; i += 2) {
			request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		request.append("\r\n");
		return exchange(request.toString().getBytes(StandardCharsets.UTF_8), "HEAD".equals(method));
	}

	/**
	 * Sends bytes as they are and reads one response.
	 * @param request the complete request
	 * @param head whether the request is a {@code HEAD} (the response then has no body whatever its headers say)
	 * @return the response
	 */
	public Response exchange(byte[] request, boolean head) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), (int) CONNECT_TIMEOUT.toMillis());
			socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			return read(new BoundedInput(new BufferedInputStream(socket.getInputStream())), head);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No complete response from 127.0.0.1:" + this.port, ex);
		}
	}

	private static Response read(BoundedInput in, boolean head) throws IOException {
		String statusLine = in.line();
		while (statusLine.isEmpty()) {
			statusLine = in.line();
		}
		String[] parts = statusLine.split(" ", 3);
		if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
			throw new IOException("Not an HTTP status line: " + statusLine);
		}
		int status = Integer.parseInt(parts[1]);
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String line = in.line(); !line.isEmpty(); line = in.line()) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new IOException("Malformed header line: " + line);
			}
			headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), (name) -> new ArrayList<>())
				.add(line.substring(colon + 1).trim());
		}
		byte[] body;
		String encoding = first(headers, "transfer-encoding");
		String length = first(headers, "content-length");
		if (head || status == 204 || status == 304 || (status >= 100 && status < 200)) {
			body = new byte[0];
		}
		else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			body = in.chunked();
		}
		else if (length != null) {
			body = in.exactly(Integer.parseInt(length));
		}
		else {
			body = in.rest();
		}
		return new Response(status, (parts.length > 2) ? parts[2] : "", headers, body);
	}

	private static @Nullable String first(Map<String, List<String>> headers, String name) {
		List<String> values = headers.get(name);
		return (values != null) ? values.get(0) : null;
	}

	/**
	 * One HTTP response.
	 *
	 * @param status the status code
	 * @param reason the reason phrase
	 * @param headers the header values by lower-case name, in order
	 * @param body the body, de-chunked
	 */
	public record Response(int status, String reason, Map<String, List<String>> headers, byte[] body) {

		/**
		 * The body decoded as UTF-8.
		 * @return the body text
		 */
		public String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		/**
		 * The first value of a header.
		 * @param name the header name, any case
		 * @return the value, or {@code null}
		 */
		public @Nullable String header(String name) {
			return first(this.headers, name.toLowerCase(Locale.ROOT));
		}

		@Override
		public String toString() {
			String text = text();
			return this.status + " " + this.reason + ", body \"" + ((text.length() > 300) ? text.substring(0, 300) + "…" : text)
					+ "\"";
		}

	}

	/**
	 * Reads from the socket, refusing to read more than {@link #MAX_RESPONSE_BYTES} in total.
	 */
	private static final class BoundedInput {

		private final InputStream in;

		private int consumed;

		BoundedInput(InputStream in) {
			this.in = in;
		}

		int next() throws IOException {
			if (++this.consumed > MAX_RESPONSE_BYTES) {
				throw new IOException("Response larger than " + MAX_RESPONSE_BYTES + " bytes");
			}
			return this.in.read();
		}

		/** A line up to CRLF (or LF), without it, as ISO-8859-1. */
		String line() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int b = next(); b != '\n'; b = next()) {
				if (b < 0) {
					throw new IOException("Connection closed in the middle of a line: "
							+ line.toString(StandardCharsets.ISO_8859_1));
				}
				line.write(b);
			}
			byte[] bytes = line.toByteArray();
			int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
			return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
		}

		byte[] exactly(int length) throws IOException {
			if (length < 0 || length > MAX_RESPONSE_BYTES) {
				throw new IOException("Unacceptable Content-Length " + length);
			}
			byte[] bytes = new byte[length];
			for (int i = 0; i < length; i++) {
				int b = next();
				if (b < 0) {
					throw new IOException("Connection closed after " + i + " of " + length + " body bytes");
				}
				bytes[i] = (byte) b;
			}
			return bytes;
		}

		byte[] chunked() throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			while (true) {
				String sizeLine = line();
				int semicolon = sizeLine.indexOf(';');
				int size = Integer.parseInt(((semicolon >= 0) ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
				if (size == 0) {
					// trailers, up to the empty line
					while (!line().isEmpty()) {
						// ignored
					}
					return body.toByteArray();
				}
				body.writeBytes(exactly(size));
				line();
			}
		}

		byte[] rest() throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			for (int b = next(); b >= 0; b = next()) {
				body.write(b);
			}
			return body.toByteArray();
		}

	}

}
