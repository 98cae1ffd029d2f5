package io.github.istiosecurity.internal.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.istiosecurity.testsupport.GrpcAuthorizer;
import io.github.istiosecurity.testsupport.Http;
import io.github.istiosecurity.testsupport.HttpAuthorizer;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the CUSTOM integration cases share (§3.18): a CUSTOM policy that sends
 * {@code /admin/*} and {@code /headers} to the provider {@code authz}, an ALLOW policy
 * that lets {@code /headers} through only with the header the authorizer sets
 * ({@code x-authz-user: alice}, so the request the policies see is the one the authorizer
 * changed), and real authorizers on loopback, one per protocol, started once for all
 * cases. A subclass picks the stack and, with a properties file of {@code extauthz/}, the
 * provider.
 */
public abstract class ExtAuthzCases {

	/** The HTTP authorizer of every case. */
	protected static final HttpAuthorizer HTTP_AUTHORIZER = new HttpAuthorizer();

	/** The gRPC authorizer of every case. */
	protected static final GrpcAuthorizer GRPC_AUTHORIZER = new GrpcAuthorizer();

	/** A loopback port where nothing listens. */
	protected static final int DEAD_PORT = deadPort();

	static final Path DIR = policies();

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void authorizers(DynamicPropertyRegistry registry) {
		registry.add("test.authz.http-port", HTTP_AUTHORIZER::port);
		registry.add("test.authz.grpc-port", GRPC_AUTHORIZER::port);
		registry.add("test.authz.dead-port", () -> DEAD_PORT);
		registry.add("istio.security.policy-locations", () -> "file:" + DIR + "/*.yaml");
		registry.add("istio.security.workload.namespace", () -> "foo");
		registry.add("istio.security.workload.labels.app", () -> "httpbin");
		registry.add("istio.security.reload.enabled", () -> "false");
	}

	private static Path policies() {
		try {
			Path dir = Files.createTempDirectory("istio-extauthz");
			Files.writeString(dir.resolve("authz.yaml"), """
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: ext-authz, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  action: CUSTOM
					  provider: {name: authz}
					  rules:
					  - to: [{operation: {paths: ["/admin/*", "/headers"]}}]
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: allow, namespace: foo}
					spec:
					  selector: {matchLabels: {app: httpbin}}
					  rules:
					  - to: [{operation: {paths: ["/public", "/public/*", "/admin/*", "/actuator/*"]}}]
					  - to: [{operation: {paths: ["/headers"]}}]
					    when: [{key: "request.headers[x-authz-user]", values: ["alice"]}]
					""");
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int deadPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	protected Http http() {
		return new Http(this.port);
	}

	/**
	 * Whether the provider of this case speaks gRPC.
	 * @return {@code true} for {@code envoyExtAuthzGrpc}, {@code false} for
	 * {@code envoyExtAuthzHttp}
	 */
	protected abstract boolean grpc();

	/** How many checks the case's authorizer has received. */
	protected int checksReceived() {
		return grpc() ? GRPC_AUTHORIZER.checks().size() : HTTP_AUTHORIZER.checks().size();
	}

}
