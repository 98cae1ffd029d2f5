package io.github.istiosecurity.internal.web.reactive;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.github.istiosecurity.internal.extauthz.CheckBody;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * Reads the first bytes of a request's body for a CUSTOM check
 * ({@code includeRequestBodyInCheck}, §3.18), as Envoy buffers it, without holding more
 * than the limit and one chunk: the chunks up to the one that crosses the limit are
 * copied and released, and the application gets a request whose body is those bytes
 * followed by the rest of the stream, unread until it asks.
 */
final class BodyForCheck {

	private BodyForCheck() {
	}

	/**
	 * Reads the start of the body, then goes on with the request that still has all of
	 * it.
	 * @param request the request
	 * @param maxRequestBytes how many bytes the check holds
	 * @param next what follows, with the request to go on with and the body for the check
	 * @return completes when {@code next} does
	 */
	static Mono<Void> read(ServerHttpRequest request, int maxRequestBytes,
			BiFunction<ServerHttpRequest, CheckBody, Mono<Void>> next) {
		Counter counter = new Counter(maxRequestBytes);
		return request.getBody().bufferUntil(counter::crossed).switchOnFirst((first, all) -> {
			Throwable error = first.getThrowable();
			if (error != null) {
				return Mono.error(error);
			}
			List<DataBuffer> start = first.get();
			byte[] read = (start != null) ? copyAndRelease(start) : new byte[0];
			Flux<DataBuffer> rest = all.skip((start != null) ? 1 : 0).concatMapIterable(Function.identity());
			// a fresh heap buffer per subscription: the application releases what it
			// reads
			Flux<DataBuffer> whole = (read.length == 0) ? rest : Flux.concat(Mono.fromSupplier(() -> wrap(read)), rest);
			ServerHttpRequest withBody = new ServerHttpRequestDecorator(request) {

				@Override
				public Flux<DataBuffer> getBody() {
					return whole;
				}

			};
			return next.apply(withBody, CheckBody.of(read, maxRequestBytes));
		}).then();
	}

	private static DataBuffer wrap(byte[] bytes) {
		return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
	}

	private static byte[] copyAndRelease(List<DataBuffer> buffers) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (DataBuffer buffer : buffers) {
			byte[] chunk = new byte[buffer.readableByteCount()];
			buffer.read(chunk);
			bytes.writeBytes(chunk);
			DataBufferUtils.release(buffer);
		}
		return bytes.toByteArray();
	}

	/** Counts the bytes seen; true from the chunk that takes them past the limit on. */
	private static final class Counter {

		private final long limit;

		private long seen;

		Counter(long limit) {
			this.limit = limit;
		}

		boolean crossed(DataBuffer buffer) {
			this.seen += buffer.readableByteCount();
			return this.seen > this.limit;
		}

	}

}
