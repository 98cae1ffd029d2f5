package io.github.istiosecurity.internal.extauthz;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.RequestAttributes;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * An {@code envoyExtAuthzGrpc} provider: asks an authorizer with
 * {@code envoy.service.auth.v3.Authorization/Check} (the generated stubs of Envoy's
 * published API), as a sidecar's ext_authz filter does (§3.18). An OK status allows: the
 * {@code ok_response} headers are set on (or appended to) the request, its
 * {@code headers_to_remove} removed, its {@code response_headers_to_add} added to the
 * response. Any other status denies with the {@code denied_response}'s status (403 when
 * it gives none), headers and body. A call that fails (unavailable, deadline exceeded) is
 * a failed call.
 * <p>
 * One {@link ManagedChannel} per provider, plaintext as an application's call to a mesh
 * service is (its sidecar adds mutual TLS); the caller waits for the answer (never an
 * event-loop thread: see {@code IstioEnforcementWebFilter}).
 */
public final class GrpcExtAuthzAuthorizer extends RemoteAuthorizer {

	private final ManagedChannel channel;

	private final AuthorizationGrpc.AuthorizationBlockingStub stub;

	/**
	 * Creates the provider's channel; {@link #start()} starts connecting in the
	 * background.
	 * @param settings the provider
	 * @param maxConcurrentChecks how many checks may wait at once
	 */
	public GrpcExtAuthzAuthorizer(ProviderSettings settings, int maxConcurrentChecks) {
		super(settings, maxConcurrentChecks);
		this.channel = Grpc
			.newChannelBuilderForAddress(settings.host(), settings.port(), InsecureChannelCredentials.create())
			.build();
		this.stub = AuthorizationGrpc.newBlockingStub(this.channel);
	}

	@Override
	public void start() {
		// connect and load the messages' descriptors now, not in the first request's
		// timeout; a provider that is
		// not up yet is no error: the channel keeps trying in the background
		this.channel.getState(true);
		CheckRequests.of(WarmUp.REQUEST, false);
	}

	/**
	 * Returns the client that makes authorizers of this kind.
	 * @return the client
	 */
	public static ExtensionProviders.Client client() {
		return new ExtensionProviders.Client(ProviderSettings.Protocol.GRPC, GrpcExtAuthzAuthorizer::new);
	}

	@Override
	protected ExtensionDecision call(RequestAttributes request) {
		CheckResponse response;
		try {
			response = this.stub.withDeadlineAfter(settings().timeout().toNanos(), TimeUnit.NANOSECONDS)
				.check(CheckRequests.of(request, packAsBytes()));
		}
		catch (StatusRuntimeException ex) {
			return failed(why(ex.getStatus()));
		}
		if (response.getStatus().getCode() == Status.Code.OK.value()) {
			return allowed(response.getOkResponse(), request);
		}
		DeniedHttpResponse denied = response.getDeniedResponse();
		int status = (denied.getStatus().getCodeValue() > 0) ? denied.getStatus().getCodeValue() : 403;
		Map<String, String> headers = new LinkedHashMap<>();
		for (HeaderValueOption header : denied.getHeadersList()) {
			headers.put(header.getHeader().getKey().toLowerCase(Locale.ROOT), value(header));
		}
		return ExtensionDecision.deny(status, denied.getBody(), headers);
	}

	private boolean packAsBytes() {
		ProviderSettings.RequestBody body = settings().body();
		return body != null && body.packAsBytes();
	}

	/**
	 * The OK answer's changes, with each header's append action applied to the request's
	 * current value.
	 */
	private static ExtensionDecision allowed(OkHttpResponse ok, RequestAttributes request) {
		Map<String, String> upstream = new LinkedHashMap<>();
		for (HeaderValueOption header : ok.getHeadersList()) {
			String name = header.getHeader().getKey().toLowerCase(Locale.ROOT);
			String value = value(header);
			String current = upstream.containsKey(name) ? upstream.get(name) : request.header(name);
			String changed = switch (action(header)) {
				// the appended value joins the present one with ',', as Envoy's
				// appendCopy does
				case APPEND_IF_EXISTS_OR_ADD -> (current != null) ? current + "," + value : value;
				case ADD_IF_ABSENT -> (current != null) ? null : value;
				case OVERWRITE_IF_EXISTS -> (current != null) ? value : null;
				default -> value;
			};
			if (changed != null) {
				upstream.put(name, changed);
			}
		}
		Set<String> removed = new LinkedHashSet<>();
		for (String name : ok.getHeadersToRemoveList()) {
			String lower = name.toLowerCase(Locale.ROOT);
			// Envoy never removes pseudo headers or Host (isRemovableHeader)
			if (!lower.startsWith(":") && !lower.equals("host")) {
				removed.add(lower);
			}
		}
		Map<String, String> downstream = new LinkedHashMap<>();
		for (HeaderValueOption header : ok.getResponseHeadersToAddList()) {
			downstream.put(header.getHeader().getKey().toLowerCase(Locale.ROOT), value(header));
		}
		return ExtensionDecision.allow(upstream, removed, downstream);
	}

	/**
	 * The deprecated {@code append} wins over {@code append_action}, as in Envoy's
	 * {@code getAppendAction}.
	 */
	private static HeaderValueOption.HeaderAppendAction action(HeaderValueOption header) {
		if (header.hasAppend()) {
			return header.getAppend().getValue() ? HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
					: HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
		}
		HeaderValueOption.HeaderAppendAction action = header.getAppendAction();
		return (action == HeaderValueOption.HeaderAppendAction.UNRECOGNIZED)
				? HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD : action;
	}

	private static String value(HeaderValueOption header) {
		String value = header.getHeader().getValue();
		return (value.isEmpty() && !header.getHeader().getRawValue().isEmpty())
				? header.getHeader().getRawValue().toStringUtf8() : value;
	}

	private String why(Status status) {
		ProviderSettings settings = settings();
		if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
			return "no answer within the timeout of " + settings.timeout().toMillis() + " ms";
		}
		if (status.getCode() == Status.Code.UNAVAILABLE) {
			return "cannot reach " + settings.host() + ":" + settings.port() + " (UNAVAILABLE)";
		}
		return "the call to " + settings.host() + ":" + settings.port() + " failed (" + status.getCode() + ")";
	}

	@Override
	public void close() {
		this.channel.shutdownNow();
		try {
			this.channel.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
