package io.github.istiosecurity.web;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.engine.RequestAttributes;
import io.github.istiosecurity.authz.match.IpAddress;
import io.github.istiosecurity.jwt.TokenRequest;
import io.github.istiosecurity.model.MtlsMode;
import io.github.istiosecurity.runtime.ActivePolicies;
import org.jspecify.annotations.Nullable;

/**
 * One request as the policy engine and JWT processing see it (§6.2), whatever the web stack: what both stacks
 * share (the policies captured once for the whole request, the normalized path, the verified claims, and the
 * addresses and peer identities computed only when a policy asks for them). The servlet and WebFlux views
 * supply the raw values from their request types.
 */
public abstract class RequestView implements RequestAttributes, TokenRequest {

	private final ActivePolicies policies;

	private final String path;

	private final RemoteAddresses remoteAddresses;

	private @Nullable Map<String, Object> claims;

	private @Nullable IpAddress sourceIp;

	private @Nullable IpAddress remoteIp;

	private @Nullable IpAddress destinationIp;

	private @Nullable List<String> peerIdentities;

	/**
	 * Creates the view.
	 * @param normalizedPath the path as Istio normalizes it (§5.3)
	 * @param policies the policies in force, captured for the whole request
	 * @param remoteAddresses how {@code remote.ip} is derived
	 */
	protected RequestView(String normalizedPath, ActivePolicies policies, RemoteAddresses remoteAddresses) {
		this.path = normalizedPath;
		this.policies = policies;
		this.remoteAddresses = remoteAddresses;
	}

	/**
	 * Returns the policies in force for this request.
	 * @return the policies
	 */
	public ActivePolicies policies() {
		return this.policies;
	}

	/**
	 * Records the claims of the verified token, after JWT processing.
	 * @param verifiedClaims the claims, or {@code null} when no token was verified
	 */
	protected void verifiedClaims(@Nullable Map<String, Object> verifiedClaims) {
		this.claims = verifiedClaims;
	}

	/** The raw query string, without {@code ?}, or {@code null}. */
	protected abstract @Nullable String rawQuery();

	/** The textual IP address of the connection's local end, or {@code null}. */
	protected abstract @Nullable String localAddress();

	/** The textual IP address of the connection's peer, or {@code null}. */
	protected abstract @Nullable String remoteAddress();

	/** The client certificate chain of a TLS connection, or {@code null}. */
	protected abstract X509Certificate @Nullable [] peerCertificates();

	@Override
	public final String path() {
		return this.path;
	}

	@Override
	public final String pathWithQuery() {
		String query = rawQuery();
		return (query != null) ? this.path + "?" + query : this.path;
	}

	@Override
	public final @Nullable String queryParameter(String name) {
		// from the query string only (Envoy never reads a form body)
		return QueryStrings.firstValue(rawQuery(), name);
	}

	@Override
	public final @Nullable IpAddress destinationIp() {
		if (this.destinationIp == null) {
			this.destinationIp = parse(localAddress());
		}
		return this.destinationIp;
	}

	@Override
	public final @Nullable IpAddress sourceIp() {
		if (this.sourceIp == null) {
			this.sourceIp = parse(remoteAddress());
		}
		return this.sourceIp;
	}

	private static @Nullable IpAddress parse(@Nullable String address) {
		return (address != null) ? IpAddress.parseRequestAddress(address) : null;
	}

	@Override
	public final @Nullable IpAddress remoteIp() {
		if (this.remoteIp == null) {
			this.remoteIp = this.remoteAddresses.resolve(headerValues("x-forwarded-for"), sourceIp());
		}
		return this.remoteIp;
	}

	@Override
	public final List<String> peerIdentities() {
		if (this.peerIdentities == null) {
			MtlsMode mode = this.policies.snapshot().mtlsMode(destinationPort());
			X509Certificate[] certificates = peerCertificates();
			// DISABLE: no identity even if a certificate was presented (§4.4)
			this.peerIdentities = (mode != MtlsMode.DISABLE && certificates != null)
					? PeerIdentities.of(certificates) : List.of();
		}
		return this.peerIdentities;
	}

	@Override
	public final @Nullable Map<String, Object> jwtClaims() {
		return this.claims;
	}

}
