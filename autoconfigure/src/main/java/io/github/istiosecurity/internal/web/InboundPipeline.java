package io.github.istiosecurity.internal.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.istiosecurity.authz.Decision;
import io.github.istiosecurity.authz.ExtensionAuthorizer;
import io.github.istiosecurity.authz.ExtensionDecision;
import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.authz.match.IdentityPatterns;
import io.github.istiosecurity.internal.extauthz.CheckBody;
import io.github.istiosecurity.internal.extauthz.ProviderSettings;
import io.github.istiosecurity.internal.extauthz.RemoteAuthorizer;
import io.github.istiosecurity.internal.jwt.JwtOutcome;
import io.github.istiosecurity.internal.runtime.ActivePolicies;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.model.MtlsMode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.util.ClassUtils;

/**
 * Istio's inbound pipeline (§6.1) for any web stack: request sanity and path
 * normalization (step 1), CUSTOM policies (step 2), RequestAuthentication (step 3), then
 * AUDIT, DENY and ALLOW (steps 4 to 6, {@link #decide(RequestView)}). The servlet and
 * WebFlux adapters only translate their requests into a {@link RequestView} and the
 * replies back; every step, every refusal and every log line lives here once.
 * <p>
 * Step 1 holds the starter to one rule: the path decided is the path served. The
 * request-target is read as received, normalized once, and the adapters hand that same
 * path to the application. Where the application would still route on another path than
 * the one decided, the request is refused with 400 and the reason, never decided.
 */
public final class InboundPipeline {

	private static final Log decisions = LogFactory.getLog("io.github.istiosecurity.decision");

	/**
	 * SLF4J's MDC holds the trace id when tracing is on; SLF4J comes with Spring Boot's
	 * logging starters.
	 */
	private static final boolean MDC_PRESENT = ClassUtils.isPresent("org.slf4j.MDC",
			InboundPipeline.class.getClassLoader());

	/** The reason given when a path keeps a {@code ;} parameter. */
	static final String PATH_PARAMETER = "path parameters (';') are not supported: the application would route "
			+ "on the path without them, not on the path decided";

	/** The reason given for a normalized path outside the context the container chose. */
	public static final String OUTSIDE_CONTEXT = "the normalized path is outside the application's context path";

	/** The reason given for dot segments that path normalization NONE keeps. */
	static final String DOT_SEGMENT = "dot segments ('.', '..') are not normalized with path-normalization NONE: "
			+ "the application would resolve them, not serve the path decided";

	/**
	 * The reply to a request without a peer identity on a port whose PeerAuthentication
	 * mode is STRICT, where a sidecar would have refused the TLS handshake: 400, as a web
	 * server answers a missing required client certificate.
	 */
	public static final LocalReply MTLS_REQUIRED = LocalReply.badRequest("mutual TLS is required on this port "
			+ "(PeerAuthentication STRICT) and the request has no verified client certificate");

	private final PolicyRuntime runtime;

	private final PathNormalizer normalizer;

	private final RemoteAddresses remoteAddresses;

	private final PeerIdentitySource peerIdentitySource;

	private final InboundObserver observer;

	/** Whether an observer is set: only then is a decision timed. */
	private final boolean observed;

	/**
	 * Creates the pipeline, observed by no one.
	 * @param runtime the policies in force
	 * @param normalizer the path normalization in force
	 * @param remoteAddresses how {@code remote.ip} is derived
	 */
	public InboundPipeline(PolicyRuntime runtime, PathNormalizer normalizer, RemoteAddresses remoteAddresses) {
		this(runtime, normalizer, remoteAddresses, InboundObserver.NONE);
	}

	/**
	 * Creates the pipeline, with peer identities from the connection's client certificate
	 * only.
	 * @param runtime the policies in force
	 * @param normalizer the path normalization in force
	 * @param remoteAddresses how {@code remote.ip} is derived
	 * @param observer told how each request ended (metrics)
	 */
	public InboundPipeline(PolicyRuntime runtime, PathNormalizer normalizer, RemoteAddresses remoteAddresses,
			InboundObserver observer) {
		this(runtime, normalizer, remoteAddresses, PeerIdentitySource.CONNECTION, observer);
	}

	/**
	 * Creates the pipeline.
	 * @param runtime the policies in force
	 * @param normalizer the path normalization in force
	 * @param remoteAddresses how {@code remote.ip} is derived
	 * @param peerIdentitySource where peer identities come from
	 * @param observer told how each request ended (metrics)
	 */
	public InboundPipeline(PolicyRuntime runtime, PathNormalizer normalizer, RemoteAddresses remoteAddresses,
			PeerIdentitySource peerIdentitySource, InboundObserver observer) {
		this.runtime = runtime;
		this.normalizer = normalizer;
		this.remoteAddresses = remoteAddresses;
		this.peerIdentitySource = peerIdentitySource;
		this.observer = observer;
		this.observed = observer != InboundObserver.NONE;
	}

	/**
	 * Returns the policies in force now; a request reads them once and keeps them for
	 * every step.
	 * @return the policies
	 */
	public ActivePolicies policies() {
		return this.runtime.current();
	}

	/**
	 * Returns the path normalization in force.
	 * @return the normalizer
	 */
	public PathNormalizer normalizer() {
		return this.normalizer;
	}

	/**
	 * Returns how {@code remote.ip} is derived.
	 * @return the resolver
	 */
	public RemoteAddresses remoteAddresses() {
		return this.remoteAddresses;
	}

	/**
	 * Returns where peer identities come from.
	 * @return the source
	 */
	public PeerIdentitySource peerIdentitySource() {
		return this.peerIdentitySource;
	}

	/**
	 * Step 1: mutual TLS as PeerAuthentication asks for it (step 0 of §6.1, which a
	 * sidecar enforces in the TLS handshake), request sanity and path normalization. On
	 * success the view holds the normalized path, which the adapter must hand to the
	 * application in place of the received one.
	 * @param view the request, as received
	 * @return the reply that refuses the request, or {@code null} to go on
	 */
	public @Nullable LocalReply admit(RequestView view) {
		if (view.mtlsMode() == MtlsMode.STRICT && view.peerIdentities().isEmpty()) {
			// a sidecar resets the connection (§4.4, Ex 37); the application has a
			// request in hand and answers it
			return refuse(view, MTLS_REQUIRED);
		}
		String forbiddenHeader = view.forbiddenHeader();
		if (forbiddenHeader != null) {
			return refuse(view, LocalReply.badRequest(
					"the header '" + forbiddenHeader + "' has a control or unassigned character in its name or value"));
		}
		if (view.requestTarget().form() == RequestTarget.Form.INVALID) {
			// an absolute-form target whose URL or scheme Envoy's codec refuses
			return refuse(view, LocalReply.BAD_REQUEST);
		}
		if (view.host() == null) {
			// Envoy decides on :authority and refuses a request without one (HTTP/1.0
			// without Host included)
			return refuse(view, LocalReply.BAD_REQUEST);
		}
		String rawPath = view.rawPath();
		if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
			// Envoy refuses a target that is not an origin-form path (e.g. "*") before
			// normalizing
			return refuse(view, LocalReply.NOT_FOUND);
		}
		AdmittedPath admitted = admitPath(rawPath, view.contextPath());
		if (admitted.refusal() != null) {
			return refuse(view, admitted.refusal());
		}
		view.admit(admitted.path());
		return null;
	}

	/**
	 * The path part of step 1, on its own: normalizes an origin-form path and checks that
	 * the application would route on the path decided. Logs nothing;
	 * {@link #admit(RequestView)} uses it for every request, and diagnostics use it to
	 * decide a hypothetical one exactly the same way.
	 * @param rawPath the path as received, starting with {@code /}, without query
	 * @param contextPath the application's context path ({@code ""} for the root)
	 * @return the normalized path, or the refusal
	 */
	public AdmittedPath admitPath(String rawPath, String contextPath) {
		String path = this.normalizer.normalize(rawPath);
		if (path == null) {
			return new AdmittedPath(rawPath, LocalReply.BAD_REQUEST);
		}
		String conflict = routingConflict(path);
		if (conflict == null && !withinContext(path, contextPath)) {
			// the container chose the application (context) on its own reading of the
			// path
			conflict = OUTSIDE_CONTEXT;
		}
		return new AdmittedPath(path, (conflict != null) ? LocalReply.badRequest(conflict) : null);
	}

	/**
	 * The outcome of normalizing a path in step 1.
	 *
	 * @param path the normalized path (the raw one when normalization refused it)
	 * @param refusal the reply refusing the request, or {@code null} when the path is
	 * admitted
	 */
	public record AdmittedPath(String path, @Nullable LocalReply refusal) {
	}

	/**
	 * Why the application would route a normalized path differently from how it was
	 * decided, if it would. Spring MVC, WebFlux and the servlet containers drop {@code ;}
	 * parameters when they route, and resolve dot segments that
	 * {@link PathNormalization#NONE} keeps; Envoy forwards both, and the application
	 * behind it then serves another resource than the one authorized (the CVE-2021-31920
	 * class).
	 */
	private @Nullable String routingConflict(String path) {
		if (path.indexOf(';') >= 0) {
			return PATH_PARAMETER;
		}
		if (this.normalizer.normalization() == PathNormalization.NONE && DotSegments.present(path)) {
			return DOT_SEGMENT;
		}
		return null;
	}

	/**
	 * Returns whether a path lies within a context path ({@code ""} for the root
	 * context).
	 * @param path the path
	 * @param contextPath the context path, as received
	 * @return whether the path is the context path or below it
	 */
	public static boolean withinContext(String path, String contextPath) {
		return path.startsWith(contextPath)
				&& (path.length() == contextPath.length() || path.charAt(contextPath.length()) == '/');
	}

	/**
	 * Answers a request that the adapter's own routing check refused (for example a
	 * servlet container that would map the normalized path to another servlet): logs the
	 * reason once, like every other refusal.
	 * @param view the request
	 * @param reason why, one sentence without request data
	 * @return the reply
	 */
	public LocalReply refuse(RequestView view, String reason) {
		return refuse(view, LocalReply.badRequest(reason));
	}

	private LocalReply refuse(RequestView view, LocalReply reply) {
		return refuse(view.method(), view.rawPath(), reply);
	}

	/**
	 * Refuses a request before any decision, for a check outside the pipeline's steps (a
	 * servlet container's mapping, Spring Security's firewall): counted like every
	 * refusal, and logged (INFO, one line: method, path as received, status and reason).
	 * @param method the method
	 * @param rawPath the path as received
	 * @param reply the refusal
	 * @return the refusal
	 */
	public LocalReply refuse(String method, String rawPath, LocalReply reply) {
		this.observer.refused(reply);
		return logRefusal(method, rawPath, reply);
	}

	private static LocalReply logRefusal(String method, String rawPath, LocalReply reply) {
		if (decisions.isInfoEnabled()) {
			decisions.info(LogSafe.path(method) + " " + LogSafe.path(rawPath) + " refused with " + reply.status() + ": "
					+ reply.body());
		}
		return reply;
	}

	/**
	 * Step 2: CUSTOM policies. They see the request before JWT processing. May block (an
	 * {@code ExtensionAuthorizer} is application code or a call to an external
	 * authorizer): non-blocking callers run it elsewhere when
	 * {@link #customRuleMatches(RequestView)}. When the authorizer allows and changes the
	 * request or the response, the view holds its answer
	 * ({@link RequestView#extensionAllowance()}), which the adapter applies before step
	 * 3.
	 * @param view the admitted request
	 * @return the authorizer's refusal, or {@code null} to go on
	 */
	public @Nullable LocalReply checkCustom(RequestView view) {
		boolean timed = this.observed && sampled();
		long start = timed ? System.nanoTime() : 0;
		Decision custom = view.policies().authorization().checkCustom(view);
		if (custom.allowed()) {
			ExtensionDecision answer = custom.extension();
			if (answer != null && answer.changesExchange()) {
				view.extensionAllowance(answer);
			}
			if (custom.reason() == Decision.Reason.CUSTOM_FAILED_OPEN) {
				// allowed without the authorizer's approval: worth a line
				logDecision(view, custom);
			}
			else if (custom.reason() != Decision.Reason.CUSTOM_NOT_TRIGGERED && decisions.isDebugEnabled()) {
				decisions
					.debug(view.method() + " " + LogSafe.path(view.path()) + " " + custom.explain() + context(view));
			}
			return null;
		}
		if (this.observed) {
			this.observer.decided(custom, timed ? System.nanoTime() - start : InboundObserver.NOT_TIMED);
		}
		logDecision(view, custom);
		return LocalReply.of(custom);
	}

	/**
	 * Returns whether a CUSTOM rule matches the request, so that step 2 may ask an
	 * authorizer (and block); for any other request step 2 is a no-op.
	 * @param view the admitted request
	 * @return whether a CUSTOM rule matches
	 */
	public static boolean customRuleMatches(RequestView view) {
		return view.policies().authorization().customRuleMatches(view);
	}

	/**
	 * Returns how much of the body the authorizer of the CUSTOM rule matching the request
	 * wants ({@code includeRequestBodyInCheck}): the adapter reads it before step 2, as
	 * Envoy buffers it.
	 * @param view the admitted request
	 * @return the provider's body settings, or {@code null} when no body is wanted
	 */
	public static ProviderSettings.@Nullable RequestBody customBody(RequestView view) {
		ExtensionAuthorizer authorizer = view.policies().authorization().customAuthorizer(view);
		return (authorizer instanceof RemoteAuthorizer remote) ? remote.settings().body() : null;
	}

	/**
	 * Refuses a request whose body is longer than the provider holds and may not be cut
	 * ({@code allowPartialMessage: false}): Envoy's 413, whatever {@code failOpen} says.
	 * @param view the request
	 * @return the reply
	 */
	public LocalReply bodyTooLarge(RequestView view) {
		return refuse(view, new LocalReply(413, CheckBody.TOO_LARGE, java.util.Map.of()));
	}

	/**
	 * Step 3: RequestAuthentication. Never blocks: keys are only ever read from memory.
	 * On success the view holds the outcome; the adapter rewrites the headers it names
	 * and publishes the authentication.
	 * @param view the admitted request
	 * @return the 401 or 403 reply for a rejected token, or {@code null} to go on
	 */
	public @Nullable LocalReply authenticate(RequestView view) {
		JwtOutcome outcome = view.policies().jwt().authenticate(view);
		view.jwt(outcome);
		if (outcome.status() != JwtOutcome.Status.REJECTED) {
			return null;
		}
		this.observer.jwtRejected(outcome);
		if (decisions.isInfoEnabled()) {
			decisions.info(view.method() + " " + LogSafe.path(view.path()) + " rejected by JWT authentication: "
					+ outcome.body() + context(view));
		}
		return LocalReply.jwtRejected(outcome.httpStatus(), outcome.body(), view.scheme(), String.valueOf(view.host()),
				view.pathWithQuery());
	}

	/**
	 * Steps 4 to 6: AUDIT marks, DENY refuses, ALLOW policies allow or deny by default;
	 * logged as a denial (INFO), an audit mark (INFO) or a decision (DEBUG); when
	 * observed, one in {@link InboundObserver#TIMING_SAMPLE} is timed.
	 * @param view the authenticated request
	 * @return the decision
	 */
	public Decision decide(RequestView view) {
		boolean timed = this.observed && sampled();
		long start = timed ? System.nanoTime() : 0;
		Decision decision = view.policies().authorization().authorize(view);
		if (this.observed) {
			this.observer.decided(decision, timed ? System.nanoTime() - start : InboundObserver.NOT_TIMED);
		}
		if (!decision.allowed()) {
			logDecision(view, decision);
		}
		else if ((decision.audit() != null || wouldDeny(decision.dryRunAllow()) || wouldDeny(decision.dryRunDeny()))
				&& decisions.isInfoEnabled()) {
			// an AUDIT match, or a dry-run policy that would have denied this allowed
			// request: worth a line
			decisions.info(((decision.audit() != null) ? "audit: " : "dry-run: ") + view.method() + " "
					+ LogSafe.path(view.path()) + " " + decision.explain() + context(view));
		}
		else if (decisions.isDebugEnabled()) {
			decisions.debug(view.method() + " " + LogSafe.path(view.path()) + " " + decision.explain() + context(view));
		}
		return decision;
	}

	/**
	 * Whether to time this decision: one in {@link InboundObserver#TIMING_SAMPLE}, at
	 * random, per thread.
	 */
	private static boolean sampled() {
		return (ThreadLocalRandom.current().nextInt() & (InboundObserver.TIMING_SAMPLE - 1)) == 0;
	}

	private static boolean wouldDeny(Decision.@Nullable ShadowResult shadow) {
		return shadow != null && shadow.denied();
	}

	/** One INFO line: a denial, or an allowance worth knowing about. */
	private static void logDecision(RequestView view, Decision decision) {
		if (decisions.isInfoEnabled()) {
			decisions.info(view.method() + " " + LogSafe.path(view.path()) + " " + decision.explain() + context(view));
		}
	}

	/**
	 * Who asked and which request it was, for a decision line: the request principal
	 * ({@code iss/sub}, never the token or its claims), the peer's identity (mTLS), and
	 * the request id ({@code x-request-id}, else the current trace id), when present.
	 */
	private static String context(RequestView view) {
		String principal = view.jwt().requestPrincipal();
		List<String> peers = view.peerIdentities();
		// the first identity is the one principals match first: the SPIFFE URI SAN, shown
		// as Istio writes it
		String peer = peers.isEmpty() ? null : IdentityPatterns.principalOf(peers.get(0));
		String requestId = view.header("x-request-id");
		if (requestId == null && MDC_PRESENT) {
			requestId = MDC.get("traceId");
		}
		List<String> parts = new ArrayList<>(3);
		if (principal != null) {
			parts.add("principal=" + LogSafe.path(principal));
		}
		if (peer != null) {
			parts.add("peer=" + LogSafe.path(peer));
		}
		if (requestId != null) {
			parts.add("request-id=" + LogSafe.path(requestId));
		}
		return parts.isEmpty() ? "" : " [" + String.join(", ", parts) + "]";
	}

}
