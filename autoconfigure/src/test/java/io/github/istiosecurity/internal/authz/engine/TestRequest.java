package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;
import org.jspecify.annotations.Nullable;

/**
 * A request for engine tests, with the common setup of the spec's worked examples (§7):
 * local port 8000, workload IP 10.0.0.20, plaintext, no token.
 */
public final class TestRequest implements RequestAttributes {

	private String method = "GET";

	private @Nullable String host = "httpbin.foo:8000";

	private String path = "/";

	private String query = "";

	private final Map<String, List<String>> headers = new LinkedHashMap<>();

	private int port = 8000;

	private @Nullable IpAddress sourceIp = IpAddress.parse("10.0.0.5");

	private @Nullable IpAddress remoteIp;

	private @Nullable IpAddress destinationIp = IpAddress.parse("10.0.0.20");

	private List<String> peerIdentities = List.of();

	private @Nullable String sni;

	private @Nullable Map<String, Object> claims;

	private TestRequest() {
	}

	public static TestRequest get(String path) {
		return request("GET", path);
	}

	public static TestRequest request(String method, String pathAndQuery) {
		TestRequest request = new TestRequest();
		request.method = method;
		int question = pathAndQuery.indexOf('?');
		request.path = (question < 0) ? pathAndQuery : pathAndQuery.substring(0, question);
		request.query = (question < 0) ? "" : pathAndQuery.substring(question);
		return request;
	}

	public TestRequest host(@Nullable String host) {
		this.host = host;
		return this;
	}

	public TestRequest header(String name, String value) {
		this.headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>()).add(value);
		return this;
	}

	public TestRequest port(int port) {
		this.port = port;
		return this;
	}

	public TestRequest sourceIp(String address) {
		this.sourceIp = IpAddress.parseRequestAddress(address);
		return this;
	}

	public TestRequest remoteIp(String address) {
		this.remoteIp = IpAddress.parseRequestAddress(address);
		return this;
	}

	/**
	 * A verified client certificate of
	 * {@code spiffe://cluster.local/ns/<namespace>/sa/<serviceAccount>}.
	 */
	public TestRequest mtlsPeer(String namespace, String serviceAccount) {
		return peerIdentity("spiffe://cluster.local/ns/" + namespace + "/sa/" + serviceAccount);
	}

	public TestRequest peerIdentity(String... identities) {
		this.peerIdentities = List.of(identities);
		return this;
	}

	public TestRequest sni(String sni) {
		this.sni = sni;
		return this;
	}

	/** Claims of a verified token. */
	public TestRequest claims(Map<String, Object> claims) {
		this.claims = claims;
		return this;
	}

	/** Copies everything but the method and path (and query) from another request. */
	public TestRequest copyFrom(TestRequest other) {
		this.host = other.host;
		this.query = other.query;
		other.headers.forEach((name, values) -> this.headers.put(name, new ArrayList<>(values)));
		this.port = other.port;
		this.sourceIp = other.sourceIp;
		this.remoteIp = other.remoteIp;
		this.destinationIp = other.destinationIp;
		this.peerIdentities = other.peerIdentities;
		this.sni = other.sni;
		this.claims = other.claims;
		return this;
	}

	@Override
	public String method() {
		return this.method;
	}

	@Override
	public @Nullable String host() {
		return this.host;
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public String pathWithQuery() {
		return this.path + this.query;
	}

	@Override
	public @Nullable String header(String lowerCaseName) {
		List<String> values = this.headers.get(lowerCaseName);
		return (values != null) ? String.join(",", values) : null;
	}

	@Override
	public int destinationPort() {
		return this.port;
	}

	@Override
	public @Nullable IpAddress destinationIp() {
		return this.destinationIp;
	}

	@Override
	public @Nullable IpAddress sourceIp() {
		return this.sourceIp;
	}

	@Override
	public @Nullable IpAddress remoteIp() {
		return (this.remoteIp != null) ? this.remoteIp : this.sourceIp;
	}

	@Override
	public List<String> peerIdentities() {
		return this.peerIdentities;
	}

	@Override
	public @Nullable String sni() {
		return this.sni;
	}

	@Override
	public @Nullable Map<String, Object> jwtClaims() {
		return this.claims;
	}

	@Override
	public String toString() {
		return this.method + " " + this.path + this.query;
	}

}
