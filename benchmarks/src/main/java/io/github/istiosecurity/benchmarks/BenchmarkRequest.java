package io.github.istiosecurity.benchmarks;

import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;

/**
 * A request whose attributes are computed up front, so the benchmark measures the engine
 * alone.
 */
final class BenchmarkRequest implements RequestAttributes {

	private final String method;

	private final String path;

	private final Map<String, String> headers;

	private final Map<String, Object> claims;

	private final IpAddress sourceIp = IpAddress.parseRequestAddress("10.7.3.4");

	private final IpAddress destinationIp = IpAddress.parseRequestAddress("10.0.0.20");

	BenchmarkRequest(String method, String path, Map<String, String> headers, Map<String, Object> claims) {
		this.method = method;
		this.path = path;
		this.headers = headers;
		this.claims = claims;
	}

	@Override
	public String method() {
		return this.method;
	}

	@Override
	public String host() {
		return "httpbin.foo.svc.cluster.local:8000";
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public String header(String lowerCaseName) {
		return this.headers.get(lowerCaseName);
	}

	@Override
	public Iterable<String> headerNames() {
		return this.headers.keySet();
	}

	@Override
	public int destinationPort() {
		return 8000;
	}

	@Override
	public IpAddress destinationIp() {
		return this.destinationIp;
	}

	@Override
	public IpAddress sourceIp() {
		return this.sourceIp;
	}

	@Override
	public IpAddress remoteIp() {
		return this.sourceIp;
	}

	@Override
	public List<String> peerIdentities() {
		return List.of();
	}

	@Override
	public Map<String, Object> jwtClaims() {
		return this.claims;
	}

}
