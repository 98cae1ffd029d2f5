package io.github.istiosecurity.sample.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket on loopback, byte for byte: the request-target, the method
 * and every header reach the server exactly as written (no client-side normalization, as
 * a hostile client sends them). One request per connection ({@code Connection: close});
 * the response is read with its {@code Content-Length}, chunked, or until the server
 * closes.
 */
public final class RawHttp {

	private static final int TIMEOUT_MILLIS = 15_000;

	private final int port;

	/**
	 * Creates a client for a server on {@code 127.0.0.1}.
	 * @param port the server's port
	 */
	public RawHttp(int port) {
		this.port = port;
	}

	/**
	 * Sends a request with {@code Host: 127.0.0.1:<port>} and {@code Connection: close}.
	 * @param method the method, as sent
	 * @param target the request-target, as sent
	 * @param headers further header names and values, alternating
	 * @return the response
	 * @throws IOException if the exchange fails
	 */
	public Response send(String method, String target, String... headers) throws IOException {
		StringBuilder request = new StringBuilder();
		request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		request.append("Host: 127.0.0.1:").append(this.port).append("\r\n");
		for (int i = 0; i < headers.length; i += 2) {
			request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		return exchange(request.toString().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends bytes as they are and reads one response.
	 * @param request the whole request
	 * @return the response
	 * @throws IOException if the exchange fails
	 */
	public Response exchange(byte[] request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			return read(socket.getInputStream());
		}
	}

	private static Response read(InputStream in) throws IOException {
		String statusLine = line(in);
		String[] parts = statusLine.split(" ", 3);
		if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
			throw new IOException("Not an HTTP response: " + statusLine);
		}
		int status = Integer.parseInt(parts[1]);
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String line = line(in); !line.isEmpty(); line = line(in)) {
			int colon = line.indexOf(':');
			headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), (k) -> new ArrayList<>())
				.add(line.substring(colon + 1).trim());
		}
		byte[] body;
		List<String> length = headers.get("content-length");
		List<String> encoding = headers.get("transfer-encoding");
		if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
			body = chunked(in);
		}
		else if (length != null) {
			body = in.readNBytes(Integer.parseInt(length.get(0)));
		}
		else {
			body = in.readAllBytes();
		}
		return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] chunked(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String size = line(in);
			int semicolon = size.indexOf(';');
			int length = Integer.parseInt((semicolon >= 0) ? size.substring(0, semicolon) : size.trim(), 16);
			if (length == 0) {
				while (!line(in).isEmpty()) {
					// trailers
				}
				return body.toByteArray();
			}
			body.write(in.readNBytes(length));
			line(in);
		}
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int b = in.read();
			if (b < 0) {
				if (line.size() == 0 && previous < 0) {
					throw new EOFException("Connection closed");
				}
				break;
			}
			if (b == '\n' && previous == '\r') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
			}
			line.write(b);
			previous = b;
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	/**
	 * One response.
	 *
	 * @param status the status code
	 * @param headers the headers, names in lower case
	 * @param body the body, as UTF-8
	 */
	public record Response(int status, Map<String, List<String>> headers, String body) {

		/**
		 * Returns the first value of a header.
		 * @param name the name, any case
		 * @return the value, or {@code null}
		 */
		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? values.get(0) : null;
		}

	}

}
