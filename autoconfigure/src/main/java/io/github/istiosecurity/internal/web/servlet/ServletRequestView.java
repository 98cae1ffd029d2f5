package io.github.istiosecurity.internal.web.servlet;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import io.github.istiosecurity.internal.runtime.ActivePolicies;
import io.github.istiosecurity.internal.web.PeerIdentitySource;
import io.github.istiosecurity.internal.web.RemoteAddresses;
import io.github.istiosecurity.internal.web.RequestView;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * One servlet request as the policy engine and JWT processing see it (§6.2). Attributes
 * are read from the request only when a policy asks for them.
 */
public final class ServletRequestView extends RequestView {

	static final String ATTRIBUTE = ServletRequestView.class.getName();

	private HttpServletRequest request;

	ServletRequestView(HttpServletRequest request, ActivePolicies policies, RemoteAddresses remoteAddresses,
			PeerIdentitySource peerIdentitySource) {
		// getRequestURI() is the request-target's path as received: neither decoded nor
		// normalized
		super(request.getRequestURI(), policies, remoteAddresses, peerIdentitySource);
		this.request = request;
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
	 * After JWT processing: the request as forwarded (headers rewritten, normalized
	 * path).
	 */
	void forwarded(HttpServletRequest forwarded) {
		this.request = forwarded;
	}

	@Override
	protected String contextPath() {
		return this.request.getContextPath();
	}

	@Override
	public Iterable<String> headerNames() {
		// the container's enumeration, walked as it is read: every request's header
		// check walks all names
		return () -> {
			Enumeration<String> names = this.request.getHeaderNames();
			return (names != null) ? names.asIterator() : Collections.emptyIterator();
		};
	}

	@Override
	public String method() {
		return this.request.getMethod();
	}

	/**
	 * Envoy's {@code :authority}, which on a servlet container is the {@code Host} header
	 * (§3.8): Tomcat and Jetty refuse (400) an absolute-form request-target whose
	 * authority differs from {@code Host} on HTTP/1.1, and Tomcat puts an HTTP/1.0
	 * target's authority into {@code Host}, so the header already holds what Envoy's
	 * codec would have taken from the target. Two differences remain on Jetty: a target
	 * whose authority differs from {@code Host} only by an explicit default port is
	 * decided on {@code Host}, and an HTTP/1.0 absolute-form target without {@code Host}
	 * has no host here.
	 */
	@Override
	public @Nullable String host() {
		return this.request.getHeader("host");
	}

	@Override
	public @Nullable String protocol() {
		// Envoy's names: HTTP/1.0, HTTP/1.1, HTTP/2 (the servlet API says HTTP/2.0)
		String protocol = this.request.getProtocol();
		return "HTTP/2.0".equals(protocol) ? "HTTP/2" : protocol;
	}

	@Override
	public String scheme() {
		return this.request.getScheme();
	}

	@Override
	public @Nullable String header(String lowerCaseName) {
		List<String> values = headerValues(lowerCaseName);
		if (values.isEmpty()) {
			return null;
		}
		return (values.size() == 1) ? values.get(0) : String.join(",", values);
	}

	@Override
	public List<String> headerValues(String lowerCaseName) {
		Enumeration<String> values = this.request.getHeaders(lowerCaseName);
		if (values == null || !values.hasMoreElements()) {
			return List.of();
		}
		String first = values.nextElement();
		if (!values.hasMoreElements()) {
			// nearly every header has one value: no list copied from the enumeration
			return List.of(first);
		}
		List<String> all = new ArrayList<>();
		all.add(first);
		while (values.hasMoreElements()) {
			all.add(values.nextElement());
		}
		return all;
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
	protected @Nullable String rawQuery() {
		return this.request.getQueryString();
	}

	@Override
	protected @Nullable String localAddress() {
		return this.request.getLocalAddr();
	}

	@Override
	protected @Nullable String remoteAddress() {
		return this.request.getRemoteAddr();
	}

	@Override
	protected X509Certificate @Nullable [] peerCertificates() {
		return (this.request.getAttribute("jakarta.servlet.request.X509Certificate") instanceof X509Certificate[] chain)
				? chain : null;
	}

}
