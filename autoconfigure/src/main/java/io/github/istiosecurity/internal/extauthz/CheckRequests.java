package io.github.istiosecurity.internal.extauthz;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;

/**
 * Builds the {@code CheckRequest} of {@code envoy.service.auth.v3.Authorization/Check}
 * from a request, with the attributes Envoy's ext_authz filter fills
 * ({@code CheckRequestUtils::createHttpCheck}): source and destination address, the
 * source principal (the peer certificate's first URI SAN, else DNS SAN, else subject),
 * and the HTTP request: id, method, path with query, host, scheme, protocol and every
 * header, names in lower case and repeated ones joined with {@code ,}, under Envoy's own
 * names ({@code :authority}, {@code :method}, {@code :path}, {@code :scheme} for the
 * request line and {@code Host}). istiod names no header list for a gRPC provider, so
 * every header is sent. With {@code includeRequestBodyInCheck}, the start of the body as
 * {@code body} (or {@code raw_body} with {@code packAsBytes}) and
 * {@code x-envoy-auth-partial-body}.
 */
final class CheckRequests {

	private CheckRequests() {
	}

	/**
	 * Builds the check of a request.
	 * @param request the request, before JWT authentication
	 * @param packAsBytes whether a body goes as {@code raw_body} rather than as a UTF-8
	 * {@code body}
	 * @return the check request
	 */
	static CheckRequest of(RequestAttributes request, boolean packAsBytes) {
		AttributeContext.Peer.Builder source = AttributeContext.Peer.newBuilder();
		IpAddress sourceIp = request.sourceIp();
		if (sourceIp != null) {
			source.setAddress(address(sourceIp, 0));
		}
		List<String> peers = request.peerIdentities();
		if (!peers.isEmpty()) {
			source.setPrincipal(peers.get(0));
		}
		AttributeContext.Peer.Builder destination = AttributeContext.Peer.newBuilder();
		IpAddress destinationIp = request.destinationIp();
		if (destinationIp != null) {
			destination.setAddress(address(destinationIp, request.destinationPort()));
		}
		AttributeContext.HttpRequest.Builder http = AttributeContext.HttpRequest.newBuilder()
			// Envoy's stream id: a random number naming this request in the authorizer's
			// logs
			.setId(Long.toUnsignedString(ThreadLocalRandom.current().nextLong()))
			.setMethod(request.method())
			.setPath(request.pathWithQuery())
			.setScheme(request.scheme());
		String host = request.host();
		if (host != null) {
			http.setHost(host);
			http.putHeaders(":authority", host);
		}
		String protocol = request.protocol();
		if (protocol != null) {
			http.setProtocol(protocol);
		}
		http.putHeaders(":method", request.method());
		http.putHeaders(":path", request.pathWithQuery());
		http.putHeaders(":scheme", request.scheme());
		for (String name : request.headerNames()) {
			String lower = name.toLowerCase(Locale.ROOT);
			if (lower.equals("host") || lower.startsWith(":") || lower.equals(HttpExtAuthzAuthorizer.PARTIAL_BODY)) {
				continue;
			}
			String value = request.header(lower);
			if (value != null) {
				http.putHeaders(lower, value);
			}
		}
		CheckBody body = CheckBody.of(request);
		if (body != null) {
			if (packAsBytes) {
				http.setRawBody(ByteString.copyFrom(body.bytes()));
			}
			else {
				// malformed UTF-8 becomes U+FFFD, where Envoy writes '!': a body that is
				// not text goes as raw_body
				http.setBody(new String(body.bytes(), StandardCharsets.UTF_8));
			}
			http.putHeaders(HttpExtAuthzAuthorizer.PARTIAL_BODY, String.valueOf(body.partial()));
		}
		Instant now = Instant.now();
		AttributeContext.Request.Builder httpRequest = AttributeContext.Request.newBuilder()
			.setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
			.setHttp(http);
		return CheckRequest.newBuilder()
			.setAttributes(
					AttributeContext.newBuilder().setSource(source).setDestination(destination).setRequest(httpRequest))
			.build();
	}

	private static Address address(IpAddress ip, int port) {
		SocketAddress.Builder socket = SocketAddress.newBuilder().setAddress(ip.toString());
		if (port > 0) {
			socket.setPortValue(port);
		}
		return Address.newBuilder().setSocketAddress(socket).build();
	}

}
