package io.github.istiosecurity.internal.web.reactive;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import io.github.istiosecurity.internal.runtime.ActivePolicies;
import io.github.istiosecurity.internal.web.PeerIdentitySource;
import io.github.istiosecurity.internal.web.RemoteAddresses;
import io.github.istiosecurity.internal.web.RequestTarget;
import io.github.istiosecurity.internal.web.RequestView;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;

/**
 * One WebFlux exchange as the policy engine and JWT processing see it (§6.2), the twin of
 * the servlet view. Attributes are read from the request only when a policy asks for
 * them.
 */
public final class ExchangeRequestView extends RequestView {

	static final String ATTRIBUTE = ExchangeRequestView.class.getName();

	private ServerHttpRequest request;

	private @Nullable RequestTarget target;

	ExchangeRequestView(ServerHttpRequest request, ActivePolicies policies, RemoteAddresses remoteAddresses,
			PeerIdentitySource peerIdentitySource) {
		super(rawPath(request), policies, remoteAddresses, peerIdentitySource);
		this.request = request;
	}

	/** The request-target's path as received: Netty neither decodes nor normalizes it. */
	private static String rawPath(ServerHttpRequest request) {
		String rawPath = request.getURI().getRawPath();
		return (rawPath != null) ? rawPath : "";
	}

	/**
	 * Returns the view the Istio filter stored on the exchange.
	 * @param exchange the exchange
	 * @return the view, or {@code null} when the Istio filter did not run
	 */
	public static @Nullable ExchangeRequestView of(ServerWebExchange exchange) {
		return (exchange.getAttribute(ATTRIBUTE) instanceof ExchangeRequestView view) ? view : null;
	}

	/**
	 * After JWT processing: the request as forwarded (headers rewritten, normalized
	 * path).
	 */
	void forwarded(ServerHttpRequest forwarded) {
		this.request = forwarded;
	}

	@Override
	protected String contextPath() {
		return this.request.getPath().contextPath().value();
	}

	@Override
	public Iterable<String> headerNames() {
		return this.request.getHeaders().headerNames();
	}

	/**
	 * One pass over the headers as Reactor Netty received them, not a map of their names
	 * and a list per name; any other request as every view checks it.
	 */
	@Override
	protected @Nullable String forbiddenHeader() {
		return ReceivedHeaders.asReceived(this.request) ? ReceivedHeaders.forbidden(this.request)
				: super.forbiddenHeader();
	}

	@Override
	public String method() {
		return this.request.getMethod().name();
	}

	/**
	 * Envoy's {@code :authority}: the authority of an absolute-form request-target, which
	 * Envoy's HTTP/1 codec puts in place of {@code Host}, otherwise the {@code Host}
	 * header (§3.8). Reactor Netty accepts an absolute-form target whatever {@code Host}
	 * says, so the raw target is read from it; Tomcat and Jetty refuse a mismatch
	 * themselves.
	 */
	@Override
	public @Nullable String host() {
		RequestTarget target = requestTarget();
		return (target.form() == RequestTarget.Form.ABSOLUTE) ? target.authority()
				: this.request.getHeaders().getFirst("host");
	}

	@Override
	protected RequestTarget requestTarget() {
		RequestTarget target = this.target;
		if (target == null) {
			target = NativeRequestTarget.of(this.request);
			this.target = target;
		}
		return target;
	}

	@Override
	public @Nullable String protocol() {
		return NativeRequestTarget.protocol(this.request);
	}

	@Override
	public String scheme() {
		String scheme = this.request.getURI().getScheme();
		return (scheme != null) ? scheme : "http";
	}

	@Override
	public @Nullable String header(String lowerCaseName) {
		List<String> values = this.request.getHeaders().get(lowerCaseName);
		if (values == null || values.isEmpty()) {
			return null;
		}
		return (values.size() == 1) ? values.get(0) : String.join(",", values);
	}

	@Override
	public List<String> headerValues(String lowerCaseName) {
		List<String> values = this.request.getHeaders().get(lowerCaseName);
		return (values != null) ? values : List.of();
	}

	@Override
	public @Nullable String cookie(String name) {
		HttpCookie cookie = this.request.getCookies().getFirst(name);
		return (cookie != null) ? cookie.getValue() : null;
	}

	@Override
	public int destinationPort() {
		InetSocketAddress local = this.request.getLocalAddress();
		return (local != null) ? local.getPort() : -1;
	}

	@Override
	protected @Nullable String rawQuery() {
		return this.request.getURI().getRawQuery();
	}

	@Override
	protected @Nullable String localAddress() {
		return hostAddress(this.request.getLocalAddress());
	}

	@Override
	protected @Nullable String remoteAddress() {
		return hostAddress(this.request.getRemoteAddress());
	}

	private static @Nullable String hostAddress(@Nullable InetSocketAddress socket) {
		InetAddress address = (socket != null) ? socket.getAddress() : null;
		return (address != null) ? address.getHostAddress() : null;
	}

	@Override
	protected X509Certificate @Nullable [] peerCertificates() {
		SslInfo ssl = this.request.getSslInfo();
		return (ssl != null) ? ssl.getPeerCertificates() : null;
	}

}
