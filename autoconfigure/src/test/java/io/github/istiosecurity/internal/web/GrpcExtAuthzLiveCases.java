package io.github.istiosecurity.internal.web;

import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.github.istiosecurity.testsupport.AuthorizerCase;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.testsupport.AuthorizerCase.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ExtAuthzLiveCases} with an {@code envoyExtAuthzGrpc} provider
 * ({@code extauthz/grpc.properties}), and the attributes of the {@code CheckRequest}
 * Envoy fills.
 */
public abstract class GrpcExtAuthzLiveCases extends ExtAuthzLiveCases {

	@Override
	protected final boolean grpc() {
		return true;
	}

	@Test
	void theGrpcCheckCarriesEnvoysAttributes() {
		http().send("PUT", "/admin/users?page=2", HEADER, AuthorizerCase.ALLOW, "x-not-listed", "2");
		CheckRequest check = GRPC_AUTHORIZER.lastCheck();
		AttributeContext.HttpRequest request = check.getAttributes().getRequest().getHttp();
		assertThat(request.getMethod()).isEqualTo("PUT");
		assertThat(request.getPath()).isEqualTo("/admin/users?page=2");
		assertThat(request.getHost()).isEqualTo("127.0.0.1:" + this.port);
		assertThat(request.getScheme()).isEqualTo("http");
		assertThat(request.getProtocol()).isEqualTo("HTTP/1.1");
		assertThat(request.getHeadersMap()).containsEntry(":authority", "127.0.0.1:" + this.port)
			.containsEntry(":method", "PUT")
			.containsEntry(":path", "/admin/users?page=2")
			.containsEntry("x-not-listed", "2")
			.doesNotContainKey("host");
		assertThat(check.getAttributes().getSource().getAddress().getSocketAddress().getAddress())
			.isEqualTo("127.0.0.1");
		assertThat(check.getAttributes().getDestination().getAddress().getSocketAddress().getPortValue())
			.isEqualTo(this.port);
		assertThat(check.getAttributes().getRequest().hasTime()).isTrue();
	}

	@Override
	protected String receivedBody() {
		return GRPC_AUTHORIZER.lastCheck().getAttributes().getRequest().getHttp().getBody();
	}

	@Test
	void theBodyGoesAsAStringWithEnvoysPartialBodyHeader() {
		http().postJson("/admin/body", "hello", HEADER, AuthorizerCase.ALLOW);
		assertThat(GRPC_AUTHORIZER.lastCheck().getAttributes().getRequest().getHttp().getHeadersMap())
			.containsEntry("x-envoy-auth-partial-body", "false");
		http().postJson("/admin/body", "0123456789abcdefXYZ", HEADER, AuthorizerCase.ALLOW);
		AttributeContext.HttpRequest cut = GRPC_AUTHORIZER.lastCheck().getAttributes().getRequest().getHttp();
		assertThat(cut.getBody()).isEqualTo("0123456789abcdef");
		assertThat(cut.getRawBody().isEmpty()).isTrue();
		assertThat(cut.getHeadersMap()).containsEntry("x-envoy-auth-partial-body", "true");
	}

}
