package io.github.istiosecurity.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.RuleRef;
import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.authz.explain.PolicyExplainer;
import io.github.istiosecurity.internal.authz.match.IdentityPatterns;
import io.github.istiosecurity.internal.jwt.JwtAuthenticator;
import io.github.istiosecurity.internal.jwt.JwtOutcome;
import io.github.istiosecurity.internal.runtime.ActivePolicies;
import io.github.istiosecurity.internal.web.InboundPipeline;
import io.github.istiosecurity.internal.web.LocalReply;
import io.github.istiosecurity.model.MtlsMode;
import org.jspecify.annotations.Nullable;

/**
 * Decides a {@link CheckRequest} on the policies in force, step by step as a real request
 * is decided (path normalization, CUSTOM, JWT, AUDIT/DENY/ALLOW), and explains the
 * decision. A check logs nothing, counts in no metric, and never echoes a token or a
 * claim value. A CUSTOM rule that matches asks its extension authorizer, as a real
 * request would.
 */
public final class PolicyCheck {

	private final InboundPipeline pipeline;

	private final PolicyExplainer explainer;

	/**
	 * Creates the check.
	 * @param pipeline the pipeline real requests go through (its policies and path
	 * normalization)
	 * @param explainer explains decisions of the pipeline's policies
	 */
	public PolicyCheck(InboundPipeline pipeline, PolicyExplainer explainer) {
		this.pipeline = pipeline;
		this.explainer = explainer;
	}

	/**
	 * Decides a hypothetical request.
	 * @param request the request
	 * @return the decision and its explanation
	 * @throws IllegalArgumentException when the principal and the claims
	 * {@code iss}/{@code sub} disagree, or an address is not an IP address
	 */
	public CheckResult check(CheckRequest request) {
		ActivePolicies policies = this.pipeline.policies();
		CompiledPolicies snapshot = policies.compiled();
		List<String> notes = new ArrayList<>();
		String target = request.path();
		String rawPath = PathNormalizer.pathOf(target);
		List<String> peerIdentities = peerIdentities(request, snapshot, notes);
		if (snapshot.peerAuthentication().mode(request.port()) == MtlsMode.STRICT && peerIdentities.isEmpty()) {
			return refused(InboundPipeline.MTLS_REQUIRED, rawPath,
					"PeerAuthentication STRICT applies to port " + request.port() + " and no peerPrincipal is given");
		}
		if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
			return refused(LocalReply.NOT_FOUND, rawPath, "the request-target is not an origin-form path");
		}
		if (request.host().isEmpty()) {
			return refused(LocalReply.BAD_REQUEST, rawPath, "a request without a host is refused");
		}
		InboundPipeline.AdmittedPath admitted = this.pipeline.admitPath(rawPath, "");
		LocalReply refusal = admitted.refusal();
		if (refusal != null) {
			return refused(refusal, rawPath, "path normalization refused the path");
		}
		CheckAttributes attributes = new CheckAttributes(request, admitted.path(), query(target), peerIdentities);
		if (attributes.sourceIp() == null) {
			throw new IllegalArgumentException("sourceIp is not an IP address");
		}
		if (attributes.remoteIp() == null) {
			throw new IllegalArgumentException("remoteIp is not an IP address");
		}
		Decision custom = snapshot.authorization().checkCustom(attributes);
		String customAnswer = (custom.reason() != Decision.Reason.CUSTOM_NOT_TRIGGERED) ? custom.explain() : null;
		if (!custom.allowed()) {
			return decided(custom, snapshot, attributes, "not-processed", notes, customAnswer);
		}
		ExtensionDecision allowance = custom.extension();
		if (allowance != null) {
			attributes.extensionAllowed(allowance);
		}
		String jwt = authenticate(request, policies.jwt(), attributes, notes);
		if (jwt == null) {
			JwtOutcome outcome = policies.jwt().authenticate(attributes);
			if (outcome.status() == JwtOutcome.Status.REJECTED) {
				return new CheckResult(outcome.httpStatus(), false, null, null, "NONE",
						"JWT authentication rejected the token: " + outcome.body(),
						this.explainer.explain(snapshot, attributes), outcome.body(), attributes.path(), null,
						"rejected", null, List.of(), notes, customAnswer);
			}
			attributes.authenticated(outcome);
			jwt = switch (outcome.status()) {
				case AUTHENTICATED -> "verified";
				case UNAUTHENTICATED -> "no-token";
				default -> "not-processed";
			};
			if (request.token() != null && outcome.status() != JwtOutcome.Status.AUTHENTICATED) {
				notes.add((outcome.status() == JwtOutcome.Status.NOT_PROCESSED)
						? "no RequestAuthentication applies to this workload, so the token is not looked at"
						: "no jwtRule of this workload reads a token from the Authorization header");
			}
		}
		return decided(snapshot.authorization().authorize(attributes), snapshot, attributes, jwt, notes, customAnswer);
	}

	/**
	 * Uses a principal and claims given as verified; returns {@code null} when none are
	 * given.
	 */
	private static @Nullable String authenticate(CheckRequest request, JwtAuthenticator authenticator,
			CheckAttributes attributes, List<String> notes) {
		if (request.principal() == null && request.claims() == null) {
			return null;
		}
		Map<String, Object> claims = new LinkedHashMap<>((request.claims() != null) ? request.claims() : Map.of());
		String principal = request.principal();
		if (principal != null) {
			int slash = principal.lastIndexOf('/');
			if (slash <= 0 || slash == principal.length() - 1) {
				throw new IllegalArgumentException("principal must be <issuer>/<subject>");
			}
			agree(claims, "iss", principal.substring(0, slash));
			agree(claims, "sub", principal.substring(slash + 1));
		}
		if (claims.get("iss") instanceof String issuer && !authenticator.hasIssuer(issuer)) {
			notes.add("no RequestAuthentication of this workload has the issuer \"" + issuer
					+ "\": a real token of it would be rejected with 401 (Jwt issuer is not configured)");
		}
		attributes.assumed(authenticator.claimsAsMatched(claims));
		return "assumed";
	}

	private static void agree(Map<String, Object> claims, String name, String value) {
		Object given = claims.putIfAbsent(name, value);
		if (given != null && !given.equals(value)) {
			throw new IllegalArgumentException("the principal and the claim " + name + " disagree");
		}
	}

	private static List<String> peerIdentities(CheckRequest request, CompiledPolicies snapshot, List<String> notes) {
		String peer = request.peerPrincipal();
		if (peer == null) {
			return List.of();
		}
		if (snapshot.peerAuthentication().mode(request.port()) == MtlsMode.DISABLE) {
			// as for a real request: DISABLE gives no identity even when a certificate is
			// presented (§4.4)
			notes
				.add("PeerAuthentication DISABLE applies to port " + request.port() + ": the peer identity is ignored");
			return List.of();
		}
		return List.of(IdentityPatterns.identityOf(peer));
	}

	private static @Nullable String query(String target) {
		int question = target.indexOf('?');
		if (question < 0) {
			return null;
		}
		int hash = target.indexOf('#', question);
		return (hash < 0) ? target.substring(question + 1) : target.substring(question + 1, hash);
	}

	private CheckResult decided(Decision decision, CompiledPolicies snapshot, CheckAttributes attributes, String jwt,
			List<String> notes, @Nullable String custom) {
		List<PolicyEvaluation> evaluated = this.explainer.explain(snapshot, attributes);
		RuleRef rule = decision.rule();
		RuleRef audit = decision.audit();
		List<String> dryRun = new ArrayList<>();
		shadow(dryRun, "ALLOW", decision.dryRunAllow());
		shadow(dryRun, "DENY", decision.dryRunDeny());
		Map<String, Object> claims = attributes.jwtClaims();
		String principal = (claims != null && claims.get("iss") instanceof String issuer
				&& claims.get("sub") instanceof String subject) ? issuer + "/" + subject : null;
		return new CheckResult(decision.status(), decision.allowed(),
				(rule != null) ? rule.policy().qualifiedName() : null, (rule != null) ? rule.index() : null,
				(rule != null) ? rule.policy().action().name() : "NONE", decision.explain(), evaluated, decision.body(),
				attributes.path(), principal, jwt, (audit != null) ? audit.toString() : null, dryRun, notes, custom);
	}

	private static void shadow(List<String> lines, String action, Decision.@Nullable ShadowResult shadow) {
		if (shadow != null) {
			lines.add("dry-run " + action + " policies would " + (shadow.denied() ? "deny" : "allow")
					+ ((shadow.rule() != null) ? " (" + shadow.rule() + ")" : ""));
		}
	}

	private static CheckResult refused(LocalReply reply, String path, String why) {
		return new CheckResult(reply.status(), false, null, null, "NONE", why + ": " + reply.body(), List.of(),
				reply.body(), path, null, "not-processed", null, List.of(), List.of(), null);
	}

}
