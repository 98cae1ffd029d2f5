package io.github.istiosecurity.internal.extauthz;

import java.io.IOException;
import java.io.InputStream;

import io.github.istiosecurity.authz.RequestAttributes;
import org.jspecify.annotations.Nullable;

/**
 * The request body held for a check ({@code includeRequestBodyInCheck}, §3.18): at most
 * {@code maxRequestBytes} of it, and whether it was longer (Envoy's
 * {@code x-envoy-auth-partial-body}). The adapters read it before the check and hand the
 * whole body to the application afterwards.
 *
 * @param bytes the first bytes of the body
 * @param partial whether the body was cut
 */
public record CheckBody(byte[] bytes, boolean partial) {

	/**
	 * Envoy's reply when the body is longer than {@code maxRequestBytes} and may not be
	 * cut.
	 */
	public static final String TOO_LARGE = "Payload Too Large";

	/**
	 * A request that holds the body read for its check.
	 */
	public interface Holder {

		/**
		 * Returns the body read for the check.
		 * @return the body, or {@code null} when none was read (no provider asks for it,
		 * or the request has none)
		 */
		@Nullable CheckBody checkBody();

	}

	/**
	 * Returns the body a request holds for its check.
	 * @param request the request
	 * @return the body, or {@code null}
	 */
	public static @Nullable CheckBody of(RequestAttributes request) {
		return (request instanceof Holder holder) ? holder.checkBody() : null;
	}

	/**
	 * Reads the first bytes of a body, one more than the limit so that a longer body is
	 * known to be longer.
	 * @param body the body
	 * @param maxRequestBytes the limit
	 * @return what was read: at most {@code maxRequestBytes + 1} bytes
	 * @throws IOException when reading fails
	 */
	public static byte[] readPrefix(InputStream body, int maxRequestBytes) throws IOException {
		return body.readNBytes(maxRequestBytes + 1);
	}

	/**
	 * The body for the check from the bytes read, cut to the limit.
	 * @param read the bytes read (at most one more than the limit)
	 * @param maxRequestBytes the limit
	 * @return the body for the check
	 */
	public static CheckBody of(byte[] read, int maxRequestBytes) {
		if (read.length <= maxRequestBytes) {
			return new CheckBody(read, false);
		}
		byte[] cut = new byte[maxRequestBytes];
		System.arraycopy(read, 0, cut, 0, maxRequestBytes);
		return new CheckBody(cut, true);
	}

}
