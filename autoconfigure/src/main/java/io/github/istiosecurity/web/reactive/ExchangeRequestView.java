package io.github.istiosecurity.web.reactive;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.engine.RequestAttributes;
import io.github.istiosecurity.authz.match.IpAddress;
import io.github.istiosecurity.jwt.TokenRequest;
import io.github.istiosecurity.model.MtlsMode;
import io.github.istiosecurity.runtime.ActivePolicies;
import io.github.istiosecurity.web.PeerIdentities;
import io.github.istiosecurity.web.QueryStrings;
import io.github.istiosecurity.web.RemoteAddresses;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;

/**
 * One WebFlux exchange as the policy engine and JWT processing see it (§6.2), the twin of the servlet
 * adapter's view. Attributes are read from the request only when a policy asks for them; the policies in
 * force are captured once, so every step of this request uses the same set.
 */
public final class ExchangeRequestView implements RequestAttributes, TokenRequest {

	static final String ATTRIBUTE = ExchangeRequestView.class.getName();

	private final ActivePolicies policies;

	private final String path;

	private final RemoteAddresses remoteAddresses;

	private ServerHttpRequest request;

	private @Nullable Map<String, Object> claims;

	private @Nullable IpAddress sourceIp;

	private @Nullable IpAddress remoteIp;

	private @Nullable IpAddress destinationIp;

	private @Nullable List<String> peerIdentities;

	ExchangeRequestView(ServerHttpRequest request, String normalizedPath, ActivePolicies policies,
			RemoteAddresses remoteAddresses) {
		this.request = request;
		this.path = normalizedPath;
		this.policies = policies;
		this.remoteAddresses = remoteAddresses;
	}

	/**
	 * Returns the view the Istio filter stored on the exchange.
	 * @param exchange the exchange
	 * @return the view, or {@code null} when the Istio filter did not run
	 */
	public static @Nullable ExchangeRequestView of(ServerWebExchange exchange) {
		Object view = exchange.getAttribute(ATTRIBUTE);
		return (view instanceof ExchangeRequestView) ? (ExchangeRequestView) view : null;
	}

	/**
	 * Returns the policies in force for this request.
	 * @return the policies
	 */
	public ActivePolicies policies() {
		return this.policies;
	}

	/** After JWT processing: headers as rewritten, claims of the verified token. */
	void authenticated(ServerHttpRequest rewritten, @Nullable Map<String, Object> verifiedClaims) {
		this.request = rewritten;
		this.claims = verifiedClaims;
	}

	@Override
	public String method() {
		return this.request.getMethod().name();
	}

	@Override
	public @Nullable String host() {
		return this.request.getHeaders().getFirst("host");
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public String pathWithQuery() {
		String query = this.request.getURI().getRawQuery();
		return (query != null) ? this.path + "?" + query : this.path;
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
		if (values.size() == 1) {
			return values.get(0);
		}
		StringBuilder joined = new StringBuilder(values.get(0));
		for (int i = 1; i < values.size(); i++) {
			joined.append(',').append(values.get(i));
		}
		return joined.toString();
	}

	@Override
	public List<String> headerValues(String lowerCaseName) {
		List<String> values = this.request.getHeaders().get(lowerCaseName);
		return (values != null) ? values : List.of();
	}

	@Override
	public @Nullable String queryParameter(String name) {
		// from the query string only (Envoy never reads a form body)
		return QueryStrings.firstValue(this.request.getURI().getRawQuery(), name);
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
	public @Nullable IpAddress destinationIp() {
		if (this.destinationIp == null) {
			this.destinationIp = address(this.request.getLocalAddress());
		}
		return this.destinationIp;
	}

	@Override
	public @Nullable IpAddress sourceIp() {
		if (this.sourceIp == null) {
			this.sourceIp = address(this.request.getRemoteAddress());
		}
		return this.sourceIp;
	}

	private static @Nullable IpAddress address(@Nullable InetSocketAddress socket) {
		InetAddress address = (socket != null) ? socket.getAddress() : null;
		return (address != null) ? IpAddress.parseRequestAddress(address.getHostAddress()) : null;
	}

	@Override
	public @Nullable IpAddress remoteIp() {
		if (this.remoteIp == null) {
			this.remoteIp = this.remoteAddresses.resolve(headerValues("x-forwarded-for"), sourceIp());
		}
		return this.remoteIp;
	}

	@Override
	public List<String> peerIdentities() {
		if (this.peerIdentities == null) {
			MtlsMode mode = this.policies.snapshot().mtlsMode(destinationPort());
			SslInfo ssl = this.request.getSslInfo();
			X509Certificate[] certificates = (ssl != null) ? ssl.getPeerCertificates() : null;
			// DISABLE: no identity even if a certificate was presented (§4.4)
			this.peerIdentities = (mode != MtlsMode.DISABLE && certificates != null)
					? PeerIdentities.of(certificates) : List.of();
		}
		return this.peerIdentities;
	}

	@Override
	public @Nullable Map<String, Object> jwtClaims() {
		return this.claims;
	}

}
