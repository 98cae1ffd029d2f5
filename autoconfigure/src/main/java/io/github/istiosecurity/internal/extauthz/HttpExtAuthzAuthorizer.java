package io.github.istiosecurity.internal.extauthz;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.RequestAttributes;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An {@code envoyExtAuthzHttp} provider: asks an authorizer with Envoy's HTTP ext_authz
 * protocol, as a sidecar's ext_authz filter does (§3.18). The check request has the
 * original method, the path with {@code pathPrefix} in front, {@code Host},
 * {@code Authorization}, {@code Content-Length} and the headers of
 * {@code includeRequestHeadersInCheck}, then the fixed
 * {@code includeAdditionalHeadersInCheck}; it has no body unless
 * {@code includeRequestBodyInCheck} asks for one (then the start of the request's body,
 * as bytes). A 200 answer allows: the answer's headers of
 * {@code headersToUpstreamOnAllow} are set on the request, those named by
 * {@code x-envoy-auth-headers-to-remove} removed, and those of
 * {@code headersToDownstreamOnAllow} added to the response. A 5xx answer, a refused
 * connection or the timeout is a failed call. Any other status denies with that status,
 * the answer's body and its headers of {@code headersToDownstreamOnDeny} (all but
 * {@code Host} when none are named).
 * <p>
 * One connection pool and one event-loop thread per provider, over Reactor Netty; the
 * caller waits for the answer (never an event-loop thread: see
 * {@code IstioEnforcementWebFilter}).
 */
public final class HttpExtAuthzAuthorizer extends RemoteAuthorizer {

	/**
	 * Envoy's header that lists, in an allowing answer, the request headers to remove.
	 */
	static final String HEADERS_TO_REMOVE = "x-envoy-auth-headers-to-remove";

	/**
	 * Set on a check request with a body: whether the body was cut to
	 * {@code maxRequestBytes}.
	 */
	static final String PARTIAL_BODY = "x-envoy-auth-partial-body";

	/**
	 * Envoy always sends these with a check, whatever
	 * {@code includeRequestHeadersInCheck} says.
	 */
	private static final Set<String> ALWAYS_SENT = Set.of("host", "authorization", "content-length");

	/**
	 * Headers of an answer that describe the authorizer's connection or message, not the
	 * decision: a denial reply gets its own (the container writes length, date and
	 * server, as Envoy's connection manager does).
	 */
	private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
			"transfer-encoding", "upgrade", "te", "trailer", "content-length", "date", "server");

	private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private final LoopResources loops;

	private final ConnectionProvider pool;

	private final HttpClient client;

	/**
	 * Creates the provider's client; {@link #start()} prepares it, nothing connects until
	 * the first check.
	 * @param settings the provider
	 * @param maxConcurrentChecks how many checks may wait at once
	 */
	public HttpExtAuthzAuthorizer(ProviderSettings settings, int maxConcurrentChecks) {
		super(settings, maxConcurrentChecks);
		String name = "istio-ext-authz-" + settings.name();
		this.loops = LoopResources.create(name, 1, true);
		this.pool = ConnectionProvider.builder(name).maxConnections(maxConcurrentChecks).build();
		Duration connectTimeout = (settings.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0) ? settings.timeout()
				: MAX_CONNECT_TIMEOUT;
		this.client = HttpClient.create(this.pool)
			.runOn(this.loops)
			.host(settings.host())
			.port(settings.port())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeout.toMillis()));
	}

	@Override
	public void start() {
		// the event loop, the resolver and Netty's classes now, not in the first
		// request's timeout
		this.client.warmup().block();
	}

	/**
	 * Returns the client that makes authorizers of this kind.
	 * @return the client
	 */
	public static ExtensionProviders.Client client() {
		return new ExtensionProviders.Client(ProviderSettings.Protocol.HTTP, HttpExtAuthzAuthorizer::new);
	}

	@Override
	protected ExtensionDecision call(RequestAttributes request) {
		ProviderSettings settings = settings();
		CheckBody body = CheckBody.of(request);
		HttpHeaders headers = checkHeaders(request, settings, body);
		String path = settings.pathPrefix() + request.pathWithQuery();
		try {
			ExtensionDecision answer = this.client.headers((h) -> h.set(headers))
				.request(HttpMethod.valueOf(request.method()))
				.uri(path)
				// the body as bytes, as Envoy sends it to an HTTP authorizer
				// (pack_as_bytes)
				.send((body != null) ? Mono.just(Unpooled.wrappedBuffer(body.bytes())) : Mono.empty())
				.responseSingle((response, content) -> content.asByteArray()
					.defaultIfEmpty(new byte[0])
					.map((bytes) -> answer(response, bytes, settings)))
				.timeout(settings.timeout())
				.block();
			return (answer != null) ? answer : failed("the authorizer closed the connection without an answer");
		}
		catch (RuntimeException ex) {
			return failed(why(ex, settings));
		}
	}

	/** The headers of a check request, as Envoy's ext_authz HTTP client sends them. */
	static HttpHeaders checkHeaders(RequestAttributes request, ProviderSettings settings, @Nullable CheckBody body) {
		HttpHeaders headers = new DefaultHttpHeaders();
		String host = request.host();
		if (host != null) {
			headers.set("host", host);
		}
		String authorization = request.header("authorization");
		if (authorization != null) {
			headers.set("authorization", authorization);
		}
		if (!settings.includeRequestHeaders().isEmpty()) {
			for (String name : request.headerNames()) {
				String lower = name.toLowerCase(Locale.ROOT);
				if (ALWAYS_SENT.contains(lower) || lower.equals(PARTIAL_BODY)
						|| !settings.includeRequestHeaders().matches(lower)) {
					continue;
				}
				String value = request.header(lower);
				if (value != null) {
					// repeated headers reach the authorizer joined with ',', as Envoy
					// merges them
					headers.set(lower, value);
				}
			}
		}
		// fixed headers override the request's (headers_to_add,
		// OVERWRITE_IF_EXISTS_OR_ADD)
		settings.additionalHeaders().forEach(headers::set);
		headers.set("content-length", String.valueOf((body != null) ? body.bytes().length : 0));
		// Envoy adds the partial-body header to the check; the HTTP client forwards it
		// only if the list names it
		if (body != null && settings.includeRequestHeaders().matches(PARTIAL_BODY)) {
			headers.set(PARTIAL_BODY, String.valueOf(body.partial()));
		}
		return headers;
	}

	/**
	 * Turns the authorizer's HTTP answer into a decision, as Envoy's
	 * {@code RawHttpClientImpl::toResponse}.
	 */
	static ExtensionDecision answer(HttpClientResponse response, byte[] body, ProviderSettings settings) {
		int status = response.status().code();
		HttpHeaders headers = response.responseHeaders();
		if (status >= 500) {
			return ExtensionDecision.failed(settings.failOpen(), settings.statusOnError(),
					"the authorizer answered " + status);
		}
		if (status == 200) {
			Map<String, String> upstream = new LinkedHashMap<>();
			Map<String, String> downstream = new LinkedHashMap<>();
			Set<String> removed = new LinkedHashSet<>();
			for (Map.Entry<String, String> header : headers) {
				String name = header.getKey().toLowerCase(Locale.ROOT);
				if (name.equals(HEADERS_TO_REMOVE)) {
					for (String removedName : header.getValue().split(",")) {
						if (!removedName.isBlank()) {
							removed.add(removedName.trim().toLowerCase(Locale.ROOT));
						}
					}
					continue;
				}
				if (settings.upstreamOnAllow().matches(name)) {
					upstream.put(name, header.getValue());
				}
				if (settings.downstreamOnAllow().matches(name)) {
					downstream.put(name, header.getValue());
				}
			}
			// Envoy never removes pseudo headers or Host (isRemovableHeader)
			removed.remove("host");
			return ExtensionDecision.allow(upstream, removed, downstream);
		}
		Map<String, String> denial = new LinkedHashMap<>();
		for (Map.Entry<String, String> header : headers) {
			String name = header.getKey().toLowerCase(Locale.ROOT);
			if (!NOT_FORWARDED.contains(name) && !name.equals(HEADERS_TO_REMOVE)
					&& forwardedOnDeny(name, settings.downstreamOnDeny())) {
				denial.put(name, header.getValue());
			}
		}
		return ExtensionDecision.deny(status, new String(body, StandardCharsets.UTF_8), denial);
	}

	/**
	 * Envoy's {@code toClientMatchers}: all but Host when none are named, else those
	 * named and a few always.
	 */
	private static boolean forwardedOnDeny(String name, HeaderNamePatterns named) {
		if (named.isEmpty()) {
			return !name.equals("host");
		}
		return named.matches(name) || name.equals("www-authenticate") || name.equals("location");
	}

	/** Why a call failed, in words without request data. */
	private static String why(RuntimeException ex, ProviderSettings settings) {
		Throwable cause = ex;
		while (cause != null) {
			if (cause instanceof TimeoutException) {
				return "no answer within the timeout of " + settings.timeout().toMillis() + " ms";
			}
			if (cause instanceof ConnectException) {
				return "cannot connect to " + settings.host() + ":" + settings.port() + " (" + simpleMessage(cause)
						+ ")";
			}
			cause = cause.getCause();
		}
		return "the call to " + settings.host() + ":" + settings.port() + " failed (" + simpleMessage(ex) + ")";
	}

	private static String simpleMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		String type = root.getClass().getSimpleName();
		if (message == null) {
			return type;
		}
		// a connection error names the address; nothing of the request is in it
		int newline = message.indexOf('\n');
		return type + ": " + ((newline >= 0) ? message.substring(0, newline) : message);
	}

	@Override
	public void close() {
		this.pool.dispose();
		this.loops.dispose();
	}

}
