package io.github.istiosecurity.internal.web;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.testsupport.CasePolicies;
import io.github.istiosecurity.testsupport.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client-address table (§3.14 {@code remote.ip}, §3.8 {@code hosts}): requests
 * written byte for byte on a raw socket ({@link RawHttp}), because what is tested is
 * exactly what a real client would normalize away: repeated or malformed
 * {@code X-Forwarded-For}, an absolute-form request-target, a missing {@code Host},
 * HTTP/1.0.
 * <p>
 * Each row expects what an Istio sidecar answers (Envoy's default XFF detection,
 * {@code allow_absolute_url} true). A row may name a container that answers differently
 * <em>before</em> any filter runs (Tomcat and Jetty refuse an absolute-form target whose
 * authority is not the {@code Host} header with 400) or a documented difference;
 * everything else must be identical on every stack. HTTP/1.0 rows expect what Envoy does
 * with {@code accept_http_10} (by default it answers 426 to any HTTP/1.0 request; the
 * starter serves HTTP/1.0). Subclasses choose the server.
 */
public abstract class ClientAddressCases {

	static final Path POLICIES = CasePolicies.writeClientAddress();

	private static final String DENIED = "RBAC: access denied";

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	@DynamicPropertySource
	static void policies(DynamicPropertyRegistry registry) {
		registry.add("istio.security.policy-locations", () -> "file:" + POLICIES + "/*.yaml");
		registry.add("istio.security.workload.namespace", () -> "foo");
		registry.add("istio.security.workload.labels.app", () -> "httpbin");
	}

	/** The server the subclass runs. */
	protected enum Container {

		TOMCAT, JETTY, NETTY

	}

	/**
	 * The server under test.
	 * @return the server
	 */
	protected abstract Container container();

	static List<Row> cases() {
		return List.of(
				// remote.ip: the right-most X-Forwarded-For entry
				// (getLastAddressFromXFF(headers, 0))
				get("/anything/remote", "X-Forwarded-For: 203.0.113.7").named("single XFF address").expect(200),
				get("/anything/remote", "X-Forwarded-For: 198.51.100.1, 203.0.113.7").named("right-most entry")
					.expect(200),
				get("/anything/remote", "X-Forwarded-For: 203.0.113.7, 198.51.100.1")
					.named("only the right-most entry counts")
					.expect(403),
				get("/anything/remote", "X-Forwarded-For:\t198.51.100.1 ,203.0.113.7 ")
					.named("whitespace around entries")
					.expect(200),
				get("/anything/remote", "X-Forwarded-For: 198.51.100.1", "X-Forwarded-For: 203.0.113.7")
					.named("two lines are one list")
					.expect(200),
				get("/anything/remote", "X-Forwarded-For: 203.0.113.7", "X-Forwarded-For: ")
					.named("an empty second line adds no entry")
					.expect(200),
				// no usable last entry: the socket peer (127.0.0.1) is remote.ip
				get("/anything/remote", "X-Forwarded-For: 203.0.113.7,").named("trailing comma: not the address")
					.expect(403),
				get("/anything/peer", "X-Forwarded-For: 203.0.113.7,").named("trailing comma: the peer instead")
					.expect(200),
				get("/anything/peer", "X-Forwarded-For: 203.0.113.7:8080").named("address with port: the peer")
					.expect(200),
				get("/anything/peer", "X-Forwarded-For: [2001:db8::1]").named("bracketed address: the peer")
					.expect(200),
				get("/anything/peer", "X-Forwarded-For: 203.0.113.7 198.51.100.1")
					.named("two addresses in one entry: the peer")
					.expect(200),
				get("/anything/peer").named("no XFF: the peer").expect(200),
				get("/anything/peer", "X-Forwarded-For: 203.0.113.7").named("a usable XFF is not the peer").expect(403),
				// an IPv4-mapped IPv6 address stays IPv6 (v6only): only an IPv6 block
				// contains it
				get("/anything/remote", "X-Forwarded-For: ::ffff:203.0.113.7").named("mapped address, IPv4 block")
					.expect(403),
				get("/anything/mapped", "X-Forwarded-For: ::ffff:203.0.113.7").named("mapped address, IPv6 block")
					.expect(200),
				// hosts: the Host header for an origin-form target
				get("/anything/host", "Host: allowed.example").named("allowed host").expect(200),
				get("/anything/host", "Host: allowed.example:8080").named("allowed host with a port").expect(200),
				get("/anything/host", "Host: other.example").named("other host").expect(403),
				get("/public", "Host: denied.example").named("denied host").expect(403),
				// hosts: an absolute-form target's authority wins over Host (Envoy's
				// codec, RFC 9112 3.2.2)
				raw("GET http://allowed.example/anything/host HTTP/1.1\r\nHost: allowed.example\r\n\r\n")
					.named("absolute-form, same Host")
					.expect(200),
				raw("GET http://allowed.example/anything/host HTTP/1.1\r\nHost: other.example\r\n\r\n")
					.named("absolute-form allowed, Host other")
					.expect(200)
					.except(Container.TOMCAT, 400)
					.except(Container.JETTY, 400),
				raw("GET http://other.example/anything/host HTTP/1.1\r\nHost: allowed.example\r\n\r\n")
					.named("absolute-form other, Host allowed")
					.expect(403)
					.except(Container.TOMCAT, 400)
					.except(Container.JETTY, 400),
				raw("GET http://denied.example/public HTTP/1.1\r\nHost: public.example\r\n\r\n")
					.named("absolute-form denied, Host innocent")
					.expect(403)
					.except(Container.TOMCAT, 400)
					.except(Container.JETTY, 400),
				raw("GET http://denied.example:8080/public HTTP/1.1\r\nHost: public.example\r\n\r\n")
					.named("absolute-form denied with port, Host innocent")
					.expect(403)
					.except(Container.TOMCAT, 400)
					.except(Container.JETTY, 400),
				raw("GET http://denied.example/public HTTP/1.1\r\n\r\n").named("absolute-form denied, no Host")
					.expect(403)
					.except(Container.TOMCAT, 400)
					.except(Container.JETTY, 400),
				// no authority, or a target Envoy's codec refuses: 400 before any
				// decision (Tomcat and Jetty refuse
				// them themselves, the starter on Netty)
				raw("GET /public HTTP/1.1\r\n\r\n").named("HTTP/1.1 without Host").expect(400),
				raw("GET ftp://other.example/public HTTP/1.1\r\nHost: localhost\r\n\r\n").named("absolute-form ftp")
					.expect(400),
				// HTTP/1.0 (as Envoy with accept_http_10): Host if present, else the
				// absolute-form authority
				raw("GET /anything/host HTTP/1.0\r\nHost: allowed.example\r\n\r\n").named("HTTP/1.0 with Host")
					.expect(200),
				// no authority at all: Envoy (with accept_http_10) answers 400 "missing
				// host", and so does the starter
				raw("GET /anything/host HTTP/1.0\r\n\r\n").named("HTTP/1.0 without Host has no host").expect(400),
				raw("GET http://allowed.example/anything/host HTTP/1.0\r\n\r\n")
					.named("HTTP/1.0 absolute-form allowed, no Host")
					.expect(200)
					// Jetty keeps no Host and its servlet API cannot tell the target's
					// authority apart: refused,
					// never decided without a host
					.except(Container.JETTY, 400),
				raw("GET http://denied.example/public HTTP/1.0\r\nHost: public.example\r\n\r\n")
					.named("HTTP/1.0 absolute-form denied, Host innocent")
					.expect(403)
					.except(Container.JETTY, 400));
	}

	@Test
	void runsOnTheServerItNames() {
		// the rows' exceptions are per server: make sure the classpath did not choose
		// another one
		assertThat(this.context.getWebServer().getClass().getSimpleName()).containsIgnoringCase(container().name());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void answersAsEnvoyWould(Row row) {
		RawHttp.Response response = RawHttp.exchange(this.port, row.request);
		int expected = row.expected(container());
		assertThat(response.status()).as("%s on %s: %s", row.name, container(), response).isEqualTo(expected);
		if (expected == 403) {
			assertThat(response.body()).isEqualTo(DENIED);
		}
	}

	@Test
	void theApplicationSeesTheAuthorityThatWasDecidedOn() {
		RawHttp.Response response = RawHttp.exchange(this.port,
				"GET http://allowed.example/public/headers HTTP/1.1\r\nHost: other.example\r\n\r\n");
		if (container() == Container.NETTY) {
			// Envoy forwards the target's authority as Host; so does the starter on
			// WebFlux
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).contains("\"host\":\"allowed.example\"").doesNotContain("other.example");
		}
		else {
			assertThat(response.status()).as("the servlet containers refuse the mismatch").isEqualTo(400);
		}
	}

	private static Row get(String path, String... headers) {
		StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
		if (headers.length == 0 || !headers[0].startsWith("Host:")) {
			request.append("Host: localhost\r\n");
		}
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		return raw(request.append("\r\n").toString());
	}

	private static Row raw(String request) {
		return new Row(request);
	}

	/** One request and the status each server must answer. */
	static final class Row {

		final String request;

		String name = "";

		int status;

		final Map<Container, Integer> exceptions = new EnumMap<>(Container.class);

		Row(String request) {
			this.request = request;
		}

		Row named(String name) {
			this.name = name;
			return this;
		}

		/** What Envoy answers, and every server unless excepted. */
		Row expect(int status) {
			this.status = status;
			return this;
		}

		/**
		 * A server that answers otherwise, before any filter or by a documented
		 * difference.
		 */
		Row except(Container container, int status) {
			this.exceptions.put(container, status);
			return this;
		}

		int expected(Container container) {
			return this.exceptions.getOrDefault(container, this.status);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
