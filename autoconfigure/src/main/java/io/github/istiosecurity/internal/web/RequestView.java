package io.github.istiosecurity.internal.web;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.extauthz.CheckBody;
import io.github.istiosecurity.internal.jwt.JwtOutcome;
import io.github.istiosecurity.internal.jwt.TokenRequest;
import io.github.istiosecurity.internal.runtime.ActivePolicies;
import io.github.istiosecurity.model.MtlsMode;
import org.jspecify.annotations.Nullable;

/**
 * One request as the policy engine and JWT processing see it (§6.2), whatever the web
 * stack: what both stacks share (the policies captured once for the whole request, the
 * path as received and as normalized, the JWT outcome, and the addresses and peer
 * identities computed only when a policy asks for them). The servlet and WebFlux views
 * supply the raw values from their request types; the {@link InboundPipeline} fills in
 * the rest.
 */
public abstract class RequestView implements RequestAttributes, TokenRequest, CheckBody.Holder {

	private final ActivePolicies policies;

	private final String rawPath;

	private final RemoteAddresses remoteAddresses;

	private final PeerIdentitySource peerIdentitySource;

	private @Nullable String path;

	private JwtOutcome jwt = JwtOutcome.NOT_PROCESSED;

	private @Nullable ExtensionDecision extensionAllowance;

	private @Nullable CheckBody checkBody;

	private @Nullable IpAddress sourceIp;

	private @Nullable IpAddress remoteIp;

	private @Nullable IpAddress destinationIp;

	private @Nullable List<String> peerIdentities;

	/**
	 * Creates the view.
	 * @param requestTarget the request-target as received: not decoded, not normalized (a
	 * query is cut off)
	 * @param policies the policies in force, captured for the whole request
	 * @param remoteAddresses how {@code remote.ip} is derived
	 */
	protected RequestView(String requestTarget, ActivePolicies policies, RemoteAddresses remoteAddresses) {
		this(requestTarget, policies, remoteAddresses, PeerIdentitySource.CONNECTION);
	}

	/**
	 * Creates the view.
	 * @param requestTarget the request-target as received: not decoded, not normalized (a
	 * query is cut off)
	 * @param policies the policies in force, captured for the whole request
	 * @param remoteAddresses how {@code remote.ip} is derived
	 * @param peerIdentitySource where the peer identity comes from
	 */
	protected RequestView(String requestTarget, ActivePolicies policies, RemoteAddresses remoteAddresses,
			PeerIdentitySource peerIdentitySource) {
		this.rawPath = PathNormalizer.pathOf(requestTarget);
		this.policies = policies;
		this.remoteAddresses = remoteAddresses;
		this.peerIdentitySource = peerIdentitySource;
	}

	/**
	 * Returns the policies in force for this request.
	 * @return the policies
	 */
	public ActivePolicies policies() {
		return this.policies;
	}

	/**
	 * Returns the path as received, before normalization: not decoded, without query.
	 * @return the raw path
	 */
	public final String rawPath() {
		return this.rawPath;
	}

	/** Step 1 passed: from now on the path is the normalized one. */
	final void admit(String normalizedPath) {
		this.path = normalizedPath;
	}

	/**
	 * Returns what JWT processing decided, once it ran.
	 * @return the outcome; {@code NOT_PROCESSED} before step 3
	 */
	public final JwtOutcome jwt() {
		return this.jwt;
	}

	final void jwt(JwtOutcome outcome) {
		this.jwt = outcome;
	}

	/**
	 * Returns what an extension authorizer that allowed the request in step 2 changes:
	 * headers to set and remove on the request (before JWT authentication sees it) and to
	 * add to the response.
	 * @return the answer, or {@code null} when nothing changes
	 */
	public final @Nullable ExtensionDecision extensionAllowance() {
		return this.extensionAllowance;
	}

	final void extensionAllowance(ExtensionDecision allowance) {
		this.extensionAllowance = allowance;
	}

	@Override
	public final @Nullable CheckBody checkBody() {
		return this.checkBody;
	}

	/**
	 * Holds the body read for step 2, when the authorizer of the matching CUSTOM rule
	 * asks for it.
	 * @param body the body
	 */
	public final void checkBody(CheckBody body) {
		this.checkBody = body;
	}

	/**
	 * Returns the name of the first header whose name or value Spring Security's firewall
	 * would refuse (a control or unassigned character; tab allowed in values), or
	 * {@code null}. A name that is itself refused is answered as {@code ?}, so that it
	 * never reaches a log line.
	 * @return the header name, or {@code null} when every header is acceptable
	 */
	protected @Nullable String forbiddenHeader() {
		for (String name : headerNames()) {
			if (!FirewallCharacters.assignedAndNotControl(name)) {
				return "?";
			}
			for (String value : headerValues(name)) {
				if (!FirewallCharacters.headerValue(value)) {
					return name;
				}
			}
		}
		return null;
	}

	/**
	 * Returns the names of the request's headers, as received (or as CUSTOM and JWT
	 * processing changed them).
	 * @return the names
	 */
	@Override
	public abstract Iterable<String> headerNames();

	/**
	 * Returns the context path the server chose for the request, as received ({@code ""}
	 * for the root).
	 * @return the context path
	 */
	protected abstract String contextPath();

	/**
	 * Returns how the request-target was written, where the server lets a stack see it
	 * (the servlet containers refuse themselves what Envoy's codec refuses, and put an
	 * absolute-form authority in {@code Host}).
	 * @return the request-target's form; origin-form unless known otherwise
	 */
	protected RequestTarget requestTarget() {
		return RequestTarget.ORIGIN;
	}

	/** The raw query string, without {@code ?}, or {@code null}. */
	protected abstract @Nullable String rawQuery();

	/** The textual IP address of the connection's local end, or {@code null}. */
	protected abstract @Nullable String localAddress();

	/** The textual IP address of the connection's peer, or {@code null}. */
	protected abstract @Nullable String remoteAddress();

	/** The client certificate chain of a TLS connection, or {@code null}. */
	protected abstract X509Certificate @Nullable [] peerCertificates();

	/**
	 * Returns the normalized path (§5), the one decided and handed to the application.
	 * @return the path; the raw path before step 1
	 */
	@Override
	public final String path() {
		String path = this.path;
		return (path != null) ? path : this.rawPath;
	}

	@Override
	public final String pathWithQuery() {
		String query = rawQuery();
		return (query != null) ? path() + "?" + query : path();
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

	/**
	 * Returns the effective PeerAuthentication mode of the port the request came in on
	 * (§4.3).
	 * @return the mode, never {@code UNSET}
	 */
	public final MtlsMode mtlsMode() {
		return this.policies.peerAuthentication().mode(destinationPort());
	}

	@Override
	public final List<String> peerIdentities() {
		if (this.peerIdentities == null) {
			if (mtlsMode() == MtlsMode.DISABLE) {
				// DISABLE: no identity even if a certificate was presented (§4.4)
				this.peerIdentities = List.of();
			}
			else {
				List<String> forwarded = this.peerIdentitySource.readsForwardedClientCert()
						? headerValues(ForwardedClientCert.HEADER) : List.of();
				this.peerIdentities = this.peerIdentitySource.identities(peerCertificates(), forwarded, sourceIp());
			}
		}
		return this.peerIdentities;
	}

	@Override
	public final @Nullable Map<String, Object> jwtClaims() {
		return this.jwt.claims();
	}

}
