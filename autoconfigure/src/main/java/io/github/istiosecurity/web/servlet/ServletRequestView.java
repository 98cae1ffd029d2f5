package io.github.istiosecurity.web.servlet;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
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
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * One servlet request as the policy engine and JWT processing see it (§6.2). Attributes are read from the
 * request only when a policy asks for them; the policies in force are captured once, so every step of this
 * request uses the same set.
 */
public final class ServletRequestView implements RequestAttributes, TokenRequest {

	static final String ATTRIBUTE = ServletRequestView.class.getName();

	private final ActivePolicies policies;

	private final String path;

	private final RemoteAddresses remoteAddresses;

	private HttpServletRequest request;

	private @Nullable Map<String, Object> claims;

	private @Nullable IpAddress sourceIp;

	private @Nullable IpAddress remoteIp;

	private @Nullable IpAddress destinationIp;

	private @Nullable List<String> peerIdentities;

	ServletRequestView(HttpServletRequest request, String normalizedPath, ActivePolicies policies,
			RemoteAddresses remoteAddresses) {
		this.request = request;
		this.path = normalizedPath;
		this.policies = policies;
		this.remoteAddresses = remoteAddresses;
	}

	/**
	 * Returns the view a filter stored on the request.
	 * @param request the request
	 * @return the view, or {@code null} when the Istio filter did not run
	 */
	public static @Nullable ServletRequestView of(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof ServletRequestView view) ? view : null;
	}

	/**
	 * Returns the policies in force for this request.
	 * @return the policies
	 */
	public ActivePolicies policies() {
		return this.policies;
	}

	/** After JWT processing: headers as rewritten, claims of the verified token. */
	void authenticated(HttpServletRequest rewritten, @Nullable Map<String, Object> verifiedClaims) {
		this.request = rewritten;
		this.claims = verifiedClaims;
	}

	@Override
	public String method() {
		return this.request.getMethod();
	}

	@Override
	public @Nullable String host() {
		return this.request.getHeader("host");
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public String pathWithQuery() {
		String query = this.request.getQueryString();
		return (query != null) ? this.path + "?" + query : this.path;
	}

	@Override
	public String scheme() {
		return this.request.getScheme();
	}

	@Override
	public @Nullable String header(String lowerCaseName) {
		Enumeration<String> values = this.request.getHeaders(lowerCaseName);
		if (values == null || !values.hasMoreElements()) {
			return null;
		}
		String first = values.nextElement();
		if (!values.hasMoreElements()) {
			return first;
		}
		StringBuilder joined = new StringBuilder(first);
		while (values.hasMoreElements()) {
			joined.append(',').append(values.nextElement());
		}
		return joined.toString();
	}

	@Override
	public List<String> headerValues(String lowerCaseName) {
		Enumeration<String> values = this.request.getHeaders(lowerCaseName);
		return (values != null) ? Collections.list(values) : List.of();
	}

	@Override
	public @Nullable String queryParameter(String name) {
		// from the query string only (Envoy never reads a form body)
		return QueryStrings.firstValue(this.request.getQueryString(), name);
	}

	@Override
	public @Nullable String cookie(String name) {
		Cookie[] cookies = this.request.getCookies();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (cookie.getName().equals(name)) {
					return cookie.getValue();
				}
			}
		}
		return null;
	}

	@Override
	public int destinationPort() {
		return this.request.getLocalPort();
	}

	@Override
	public @Nullable IpAddress destinationIp() {
		if (this.destinationIp == null) {
			this.destinationIp = IpAddress.parseRequestAddress(this.request.getLocalAddr());
		}
		return this.destinationIp;
	}

	@Override
	public @Nullable IpAddress sourceIp() {
		if (this.sourceIp == null) {
			this.sourceIp = IpAddress.parseRequestAddress(this.request.getRemoteAddr());
		}
		return this.sourceIp;
	}

	@Override
	public @Nullable IpAddress remoteIp() {
		if (this.remoteIp == null) {
			List<String> forwardedFor = new ArrayList<>();
			Enumeration<String> values = this.request.getHeaders("x-forwarded-for");
			while (values != null && values.hasMoreElements()) {
				forwardedFor.add(values.nextElement());
			}
			this.remoteIp = this.remoteAddresses.resolve(forwardedFor, sourceIp());
		}
		return this.remoteIp;
	}

	@Override
	public List<String> peerIdentities() {
		if (this.peerIdentities == null) {
			MtlsMode mode = this.policies.snapshot().mtlsMode(destinationPort());
			Object chain = this.request.getAttribute("jakarta.servlet.request.X509Certificate");
			// DISABLE: no identity even if a certificate was presented (§4.4)
			this.peerIdentities = (mode != MtlsMode.DISABLE && chain instanceof X509Certificate[] certificates)
					? PeerIdentities.of(certificates) : List.of();
		}
		return this.peerIdentities;
	}

	@Override
	public @Nullable Map<String, Object> jwtClaims() {
		return this.claims;
	}

}
