package io.github.istiosecurity.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link RawHttp} against a one-connection server on loopback that records the request bytes and answers with
 * bytes given by the test.
 */
class RawHttpTests {

	private final ServerSocket server = listen();

	@AfterEach
	void close() throws IOException {
		this.server.close();
	}

	@Test
	void sendsTheRequestTargetByteForByte() throws Exception {
		CompletableFuture<byte[]> received = serveOnce("HTTP/1.1 204 No Content\r\n\r\n");
		RawHttp.Response response = new RawHttp(this.server.getLocalPort()).send("PROPFIND", "/a/../b%2f\\é;x?q=1#f",
				"X-Test", "1");
		String expected = "PROPFIND /a/../b%2f\\é;x?q=1#f HTTP/1.1\r\nHost: 127.0.0.1:" + this.server.getLocalPort()
				+ "\r\nConnection: close\r\nX-Test: 1\r\n\r\n";
		assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
		assertThat(response.status()).isEqualTo(204);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void readsAChunkedBodyAndRepeatedHeaders() {
		serveOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n"
				+ "4;ext=1\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n");
		RawHttp.Response response = new RawHttp(this.server.getLocalPort()).send("GET", "/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.reason()).isEqualTo("OK");
		assertThat(response.text()).isEqualTo("Wikipedia in \r\n\r\nchunks.");
		assertThat(response.headers().get("set-cookie")).containsExactly("a=1", "b=2");
		assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
	}

	@Test
	void readsByContentLengthOrUntilTheServerCloses() {
		serveOnce("HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\n\r\nBad Request");
		assertThat(new RawHttp(this.server.getLocalPort()).send("GET", "/%00").text()).isEqualTo("Bad Request");
		serveOnce("HTTP/1.0 403 Forbidden\r\n\r\nRBAC: access denied");
		RawHttp.Response response = new RawHttp(this.server.getLocalPort()).send("GET", "/admin");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.text()).isEqualTo("RBAC: access denied");
	}

	@Test
	void aHeadResponseHasNoBodyWhateverItsHeadersSay() {
		serveOnce("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
		assertThat(new RawHttp(this.server.getLocalPort()).send("HEAD", "/").body()).isEmpty();
	}

	@Test
	void refusesAnOversizedOrTruncatedResponse() {
		serveOnce("HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\nx");
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> new RawHttp(this.server.getLocalPort()).send("GET", "/"))
			.withStackTraceContaining("Unacceptable Content-Length");
		serveOnce("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> new RawHttp(this.server.getLocalPort()).send("GET", "/"))
			.withStackTraceContaining("Connection closed after 5 of 10 body bytes");
		serveOnce("not http\r\n\r\n");
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> new RawHttp(this.server.getLocalPort()).send("GET", "/"))
			.withStackTraceContaining("Not an HTTP status line");
	}

	/**
	 * Accepts one connection, reads the request head (up to the empty line), writes the answer and closes.
	 * @return the request bytes
	 */
	private CompletableFuture<byte[]> serveOnce(String answer) {
		return CompletableFuture.supplyAsync(() -> {
			try (Socket socket = this.server.accept()) {
				socket.setSoTimeout(10_000);
				InputStream in = socket.getInputStream();
				ByteArrayOutputStream request = new ByteArrayOutputStream();
				while (!endsWithEmptyLine(request.toByteArray())) {
					int b = in.read();
					if (b < 0 || request.size() > 65536) {
						break;
					}
					request.write(b);
				}
				OutputStream out = socket.getOutputStream();
				out.write(answer.getBytes(StandardCharsets.UTF_8));
				out.flush();
				return request.toByteArray();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	private static boolean endsWithEmptyLine(byte[] bytes) {
		int n = bytes.length;
		return n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n';
	}

	private static ServerSocket listen() {
		try {
			return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
