package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * An external authorizer that implements {@code envoy.service.auth.v3.Authorization} on
 * 127.0.0.1 with grpc-java, as OPA's Envoy plugin behind an {@code envoyExtAuthzGrpc}
 * provider would: it answers by the {@link AuthorizerCase} named in the check's headers
 * and records every {@link CheckRequest} it receives.
 */
public final class GrpcAuthorizer implements AutoCloseable {

	private final Server server;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "grpc-authorizer");
		thread.setDaemon(true);
		return thread;
	});

	private final List<CheckRequest> checks = new CopyOnWriteArrayList<>();

	private final AtomicInteger waiting = new AtomicInteger();

	private final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));

	public GrpcAuthorizer() {
		try {
			this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
				.addService(new Authorization())
				.executor(this.executor)
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.server.getPort();
	}

	/** The checks received so far. */
	public List<CheckRequest> checks() {
		return List.copyOf(this.checks);
	}

	/** The last check received. */
	public CheckRequest lastCheck() {
		return this.checks.get(this.checks.size() - 1);
	}

	/** How many {@link AuthorizerCase#SLOW} checks are waiting. */
	public int waiting() {
		return this.waiting.get();
	}

	/** Lets every waiting {@link AuthorizerCase#SLOW} check answer (allow). */
	public void releaseSlow() {
		this.release.getAndSet(new CountDownLatch(1)).countDown();
	}

	private final class Authorization extends AuthorizationGrpc.AuthorizationImplBase {

		@Override
		public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
			GrpcAuthorizer.this.checks.add(request);
			String answer = request.getAttributes()
				.getRequest()
				.getHttp()
				.getHeadersOrDefault(AuthorizerCase.HEADER, AuthorizerCase.ALLOW);
			switch (answer) {
				case AuthorizerCase.DENY -> {
					responses.onNext(CheckResponse.newBuilder()
						.setStatus(com.google.rpc.Status.newBuilder().setCode(Status.Code.PERMISSION_DENIED.value()))
						.setDeniedResponse(DeniedHttpResponse.newBuilder()
							.setStatus(HttpStatus.newBuilder().setCode(StatusCode.Unauthorized))
							.addHeaders(header("www-authenticate", "Bearer realm=\"authz\"", false))
							.addHeaders(header("x-deny-reason", "policy", false))
							.setBody(AuthorizerCase.DENIED_BODY))
						.build());
					responses.onCompleted();
				}
				case AuthorizerCase.ERROR ->
					responses.onError(Status.INTERNAL.withDescription("boom").asRuntimeException());
				case AuthorizerCase.SLOW -> {
					CountDownLatch latch = GrpcAuthorizer.this.release.get();
					GrpcAuthorizer.this.waiting.incrementAndGet();
					try {
						latch.await(10, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					finally {
						GrpcAuthorizer.this.waiting.decrementAndGet();
					}
					responses.onNext(ok(OkHttpResponse.getDefaultInstance()));
					responses.onCompleted();
				}
				default -> {
					responses.onNext(ok(OkHttpResponse.newBuilder()
						.addHeaders(header("x-authz-user", "alice", false))
						.addHeaders(header("x-keep-appended", "added", true))
						.addHeadersToRemove("x-remove-me")
						.addResponseHeadersToAdd(header("x-client-note", "hello", false))
						.build()));
					responses.onCompleted();
				}
			}
		}

		private static CheckResponse ok(OkHttpResponse ok) {
			return CheckResponse.newBuilder()
				.setStatus(com.google.rpc.Status.newBuilder().setCode(Status.Code.OK.value()))
				.setOkResponse(ok)
				.build();
		}

		private static HeaderValueOption header(String name, String value, boolean append) {
			return HeaderValueOption.newBuilder()
				.setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
				.setAppend(BoolValue.of(append))
				.build();
		}

	}

	@Override
	public void close() {
		releaseSlow();
		this.server.shutdownNow();
		this.executor.shutdownNow();
	}

}
