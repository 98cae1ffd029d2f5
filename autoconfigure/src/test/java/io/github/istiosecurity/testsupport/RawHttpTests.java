package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RawHttp} against a scripted server on loopback: one connection, the request
 * bytes it received, and the exact response bytes it writes back.
 */
class RawHttpTests {

	private final ServerSocket server = listen();

	private final CompletableFuture<String> received = new CompletableFuture<>();

	@AfterEach
	void close() throws IOException {
		this.server.close();
	}

	@Test
	void sendsExactBytesAndReadsAContentLengthBody() throws Exception {
		answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nX-A: 2\r\n\r\nhello", false);
		String request = "GET http://other.example/x HTTP/1.0\r\nX-Forwarded-For: 1.1.1.1,\r\n\r\n";
		RawHttp.Response response = RawHttp.exchange(this.server.getLocalPort(), request);
		assertThat(this.received.get(5, TimeUnit.SECONDS)).isEqualTo(request);
		assertThat(response.version()).isEqualTo("HTTP/1.1");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.reason()).isEqualTo("OK");
		assertThat(response.body()).isEqualTo("hello");
		assertThat(response.header("x-a")).isEqualTo("1");
		assertThat(response.headers("X-A")).containsExactly("1", "2");
		assertThat(response.header("absent")).isNull();
	}

	@Test
	void decodesChunksAndSkipsTrailers() {
		answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nX-T: t\r\n\r\n",
				false);
		assertThat(RawHttp.exchange(this.server.getLocalPort(), "GET / HTTP/1.1\r\n\r\n").body()).isEqualTo("hello!");
	}

	@Test
	void readsToTheEndWithoutFraming() {
		answer("HTTP/1.0 403 Forbidden\r\n\r\nRBAC: access denied", true);
		RawHttp.Response response = RawHttp.exchange(this.server.getLocalPort(), "GET / HTTP/1.0\r\n\r\n");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.body()).isEqualTo("RBAC: access denied");
	}

	@Test
	void aHeadResponseHasNoBodyWhateverItAnnounces() {
		answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", false);
		RawHttp.Response response = RawHttp.exchange(this.server.getLocalPort(), "HEAD / HTTP/1.1\r\n\r\n");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void readsPipelinedResponsesOnOneConnection() {
		answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
				true);
		try (RawHttp http = RawHttp.connect(this.server.getLocalPort())) {
			http.send("GET /a HTTP/1.1\r\n\r\n");
			assertThat(http.read().status()).isEqualTo(100);
			assertThat(http.read().status()).isEqualTo(204);
			assertThat(http.read().body()).isEqualTo("ok");
			assertThat(http.closedByPeer()).isTrue();
		}
	}

	@Test
	void aSilentServerIsATimeoutNotAHang() {
		// the server reads the request and never answers
		CompletableFuture.runAsync(() -> {
			try (Socket socket = this.server.accept()) {
				socket.getInputStream().read();
				Thread.sleep(3000);
			}
			catch (IOException | InterruptedException ex) {
				// the test is over
			}
		});
		long start = System.nanoTime();
		try (RawHttp http = RawHttp.connect(this.server.getLocalPort(), Duration.ofMillis(300))) {
			http.send("GET / HTTP/1.1\r\n\r\n");
			assertThatThrownBy(http::read).isInstanceOf(UncheckedIOException.class)
				.hasCauseInstanceOf(SocketTimeoutException.class);
			assertThat(http.closedByPeer()).isFalse();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void anEndlessLineIsRefusedWithinItsBound() {
		answer("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n", true);
		assertThatThrownBy(() -> RawHttp.exchange(this.server.getLocalPort(), "GET / HTTP/1.1\r\n\r\n"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("Line longer than");
	}

	@Test
	void anAnnouncedHugeBodyIsRefusedBeforeReading() {
		answer("HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n", true);
		assertThatThrownBy(() -> RawHttp.exchange(this.server.getLocalPort(), "GET / HTTP/1.1\r\n\r\n"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("out of bounds");
	}

	@Test
	void aTruncatedBodyIsAnError() {
		answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true);
		assertThatThrownBy(() -> RawHttp.exchange(this.server.getLocalPort(), "GET / HTTP/1.1\r\n\r\n"))
			.isInstanceOf(UncheckedIOException.class)
			.hasMessageContaining("Body ended after 5 of 10 bytes");
	}

	/**
	 * Accepts one connection, records the request head, writes the response, then closes
	 * or lingers.
	 */
	private void answer(String response, boolean closeAfterwards) {
		CompletableFuture.runAsync(() -> {
			try (Socket socket = this.server.accept()) {
				this.received.complete(readHead(socket.getInputStream()));
				OutputStream out = socket.getOutputStream();
				out.write(response.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				if (!closeAfterwards) {
					// keep the connection open until the client closes it
					socket.setSoTimeout(5000);
					socket.getInputStream().read();
				}
			}
			catch (IOException ex) {
				this.received.completeExceptionally(ex);
			}
		});
	}

	private static String readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			head.append((char) b);
		}
		return head.toString();
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
