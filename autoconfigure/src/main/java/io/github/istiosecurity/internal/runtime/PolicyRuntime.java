package io.github.istiosecurity.internal.runtime;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.JwtAuthenticator;
import io.github.istiosecurity.internal.jwt.JwtSettings;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.internal.load.LoadResult;
import io.github.istiosecurity.internal.load.PolicyLoadException;
import io.github.istiosecurity.internal.load.PolicyProblem;
import io.github.istiosecurity.model.IstioPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Holds the policies in force and applies changes. Creating it reads nothing;
 * {@link #start()} starts the sources (the Kubernetes source waits for its first complete
 * list) and makes the first load, which throws on any error, so an application never
 * starts with policies it could not read. In a Spring application it runs as a
 * {@link SmartInitializingSingleton}, once every singleton is created and before any
 * lifecycle bean starts, so before the web server accepts a connection; until then
 * {@link #current()} throws, so a request that reached the pipeline anyway would be
 * refused, never decided without policies. Later reloads apply a valid change in one
 * atomic swap and keep the last good set when the change is invalid (logging every file,
 * line and field).
 * <p>
 * Every load is also checked for the mistakes after which every request is allowed
 * ({@link Misconfiguration}): each is logged as a WARN when its cause first appears or
 * changes, not again on reloads with the same cause. When policies are required, such a
 * load fails start-up and is refused on reload.
 * <p>
 * Every applied load is also linted ({@link PolicyLint}): its warnings, with Istio's own
 * warnings of the loaded documents, are logged as
 * {@code Policy lint: file:line: field: message}, each only when it is new.
 * <p>
 * Every load is checked against what the server offers for mutual TLS
 * ({@link ServerMtls}): a PeerAuthentication requiring it (STRICT) on a server that never
 * sees a client certificate fails start-up ({@link UnenforceableMtlsException}) and is
 * refused on reload; PERMISSIVE asked for on such a server is a WARN.
 */
public final class PolicyRuntime implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(PolicyRuntime.class);

	private final List<PolicySource> sources;

	private final PolicyCompiler compiler;

	private final JwksKeySources keySources;

	private final VerifiedTokenCache tokenCache;

	private final JwtSettings jwtSettings;

	private final Clock clock;

	private final boolean requirePolicies;

	private final PolicyLint lint;

	/**
	 * Lint warnings, by resource, field and message (not line: an edit elsewhere in the
	 * file moves it without changing the cause).
	 */
	private final RepeatedWarnings lintWarnings = new RepeatedWarnings();

	private final ServerMtls serverMtls;

	/** Misconfigurations (by kind and message) and the mutual TLS warning. */
	private final RepeatedWarnings coverageWarnings = new RepeatedWarnings();

	private final List<PolicyRuntimeListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

	private volatile @Nullable ActivePolicies active;

	private volatile String fingerprint = "";

	private volatile @Nullable String rejectedFingerprint;

	private volatile @Nullable RejectedChange rejectedChange;

	/**
	 * Creates the runtime; {@link #start()} loads and compiles the policies of every
	 * source.
	 * @param sources the sources
	 * @param compiler compiles for this workload
	 * @param keySources key sets, shared across reloads
	 * @param tokenCache verified tokens, shared across reloads
	 * @param jwtSettings JWT settings
	 * @throws PolicyLoadException if any source has an invalid policy
	 */
	public PolicyRuntime(List<PolicySource> sources, PolicyCompiler compiler, JwksKeySources keySources,
			VerifiedTokenCache tokenCache, JwtSettings jwtSettings) {
		this(sources, compiler, keySources, tokenCache, jwtSettings, false);
	}

	/**
	 * Creates the runtime; {@link #start()} loads and compiles the policies of every
	 * source.
	 * @param sources the sources
	 * @param compiler compiles for this workload
	 * @param keySources key sets, shared across reloads
	 * @param tokenCache verified tokens, shared across reloads
	 * @param jwtSettings JWT settings
	 * @param requirePolicies whether a {@link Misconfiguration} stops start-up and
	 * refuses a reload, rather than being logged
	 * @throws PolicyLoadException if any source has an invalid policy
	 * @throws MisconfigurationException if policies are required and the loaded ones do
	 * not protect the workload
	 */
	public PolicyRuntime(List<PolicySource> sources, PolicyCompiler compiler, JwksKeySources keySources,
			VerifiedTokenCache tokenCache, JwtSettings jwtSettings, boolean requirePolicies) {
		this(sources, compiler, keySources, tokenCache, jwtSettings, requirePolicies, PolicyLint.DEFAULT);
	}

	/**
	 * Creates the runtime; {@link #start()} loads and compiles the policies of every
	 * source.
	 * @param sources the sources
	 * @param compiler compiles for this workload
	 * @param keySources key sets, shared across reloads
	 * @param tokenCache verified tokens, shared across reloads
	 * @param jwtSettings JWT settings
	 * @param requirePolicies whether a {@link Misconfiguration} stops start-up and
	 * refuses a reload, rather than being logged
	 * @param lint lints every applied load; its warnings are logged and never change a
	 * decision
	 * @throws PolicyLoadException if any source has an invalid policy
	 * @throws MisconfigurationException if policies are required and the loaded ones do
	 * not protect the workload
	 */
	public PolicyRuntime(List<PolicySource> sources, PolicyCompiler compiler, JwksKeySources keySources,
			VerifiedTokenCache tokenCache, JwtSettings jwtSettings, boolean requirePolicies, PolicyLint lint) {
		this(sources, compiler, keySources, tokenCache, jwtSettings, requirePolicies, lint, ServerMtls.UNKNOWN);
	}

	/**
	 * Creates the runtime; {@link #start()} loads and compiles the policies of every
	 * source.
	 * @param sources the sources
	 * @param compiler compiles for this workload
	 * @param keySources key sets, shared across reloads
	 * @param tokenCache verified tokens, shared across reloads
	 * @param jwtSettings JWT settings
	 * @param requirePolicies whether a {@link Misconfiguration} stops start-up and
	 * refuses a reload, rather than being logged
	 * @param lint lints every applied load; its warnings are logged and never change a
	 * decision
	 * @param serverMtls what the server offers for mutual TLS, checked against the
	 * PeerAuthentications
	 * @throws PolicyLoadException if any source has an invalid policy
	 * @throws MisconfigurationException if policies are required and the loaded ones do
	 * not protect the workload
	 * @throws UnenforceableMtlsException if a PeerAuthentication requires mutual TLS the
	 * server cannot see
	 */
	public PolicyRuntime(List<PolicySource> sources, PolicyCompiler compiler, JwksKeySources keySources,
			VerifiedTokenCache tokenCache, JwtSettings jwtSettings, boolean requirePolicies, PolicyLint lint,
			ServerMtls serverMtls) {
		this.requirePolicies = requirePolicies;
		this.lint = lint;
		this.serverMtls = serverMtls;
		this.sources = List.copyOf(sources);
		this.compiler = compiler;
		this.keySources = keySources;
		this.tokenCache = tokenCache;
		this.jwtSettings = jwtSettings;
		this.clock = jwtSettings.clock();
	}

	/**
	 * Starts the runtime when the Spring application's singletons are created: see
	 * {@link #start()}.
	 * @throws BeanInitializationException caused by whatever {@link #start()} threw, so
	 * start-up fails and the failure analyzers explain the cause
	 */
	@Override
	public void afterSingletonsInstantiated() {
		try {
			start();
		}
		catch (RuntimeException ex) {
			throw new BeanInitializationException("The Istio policies could not be put in force", ex);
		}
	}

	/**
	 * Starts every source, then loads and compiles their policies and puts them in force.
	 * Does nothing once it succeeded. Reads the sources, waits for the Kubernetes
	 * source's first list and starts fetching remote key sets in the background.
	 * @throws PolicyLoadException if any source has an invalid policy
	 * @throws MisconfigurationException if policies are required and the loaded ones do
	 * not protect the workload
	 * @throws UnenforceableMtlsException if a PeerAuthentication requires mutual TLS the
	 * server cannot see
	 */
	public synchronized void start() {
		if (this.active != null) {
			return;
		}
		for (PolicySource source : this.sources) {
			source.start();
		}
		String initialFingerprint = fingerprintOfSources();
		List<LoadResult> loaded = loadAll();
		CompiledPolicies initial = this.compiler.compile(policiesOf(loaded));
		String unenforceable = PeerAuthenticationCheck.unenforceable(initial, this.serverMtls);
		if (unenforceable != null) {
			throw new UnenforceableMtlsException(unenforceable);
		}
		List<Misconfiguration> misconfigurations = checkCoverage(loaded, initial);
		if (this.requirePolicies && !misconfigurations.isEmpty()) {
			throw new MisconfigurationException(misconfigurations);
		}
		ActivePolicies first = build(loaded, initial, 1);
		this.fingerprint = initialFingerprint;
		this.active = first;
		logApplied(first, "loaded");
		report(misconfigurations, initial);
	}

	/**
	 * Returns the policies in force; read once per request.
	 * @return the active policies
	 * @throws IllegalStateException before {@link #start()} has put the first policies in
	 * force
	 */
	public ActivePolicies current() {
		ActivePolicies active = this.active;
		if (active == null) {
			throw new IllegalStateException("The Istio policies are not in force yet (the policy runtime has not "
					+ "started): nothing is decided without them");
		}
		return active;
	}

	/**
	 * Returns the sources, in the order their policies are read.
	 * @return the sources
	 */
	List<PolicySource> sources() {
		return this.sources;
	}

	/**
	 * Registers a listener for applied and rejected changes.
	 * @param listener the listener
	 */
	public void addListener(PolicyRuntimeListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Returns whether the sources hold a change that was rejected (the last good policies
	 * stay in force); cleared when a change is applied or the sources return to the
	 * policies in force.
	 * @return whether a rejected change is pending
	 */
	public boolean changeRejected() {
		return this.rejectedFingerprint != null;
	}

	/**
	 * Returns the change that was refused while the sources still hold it, with every
	 * problem.
	 * @return the refused change, or {@code null} when none is pending
	 */
	public @Nullable RejectedChange rejectedChange() {
		return (this.rejectedFingerprint != null) ? this.rejectedChange : null;
	}

	/**
	 * Re-reads the sources if their fingerprint changed and applies a valid change.
	 * @return whether a new set was put in force
	 */
	public synchronized boolean reloadIfChanged() {
		if (this.active == null) {
			// nothing to compare with before the first load, which start() makes
			return false;
		}
		String current = fingerprintOfSources();
		if (current.equals(this.fingerprint)) {
			// the sources are back to the policies in force: no rejected change is
			// pending any more
			this.rejectedFingerprint = null;
			return false;
		}
		if (current.equals(this.rejectedFingerprint)) {
			return false;
		}
		return reload(current);
	}

	/**
	 * Re-reads every source now and applies the result if valid.
	 * @return whether a new set was put in force
	 */
	public synchronized boolean reload() {
		if (this.active == null) {
			return false;
		}
		return reload(fingerprintOfSources());
	}

	private boolean reload(String newFingerprint) {
		ActivePolicies previous = current();
		List<LoadResult> loaded;
		try {
			loaded = loadAll();
		}
		catch (PolicyLoadException ex) {
			rejected(newFingerprint, ex.problems());
			logger.error("Policy change rejected; the last good policies (generation " + previous.generation()
					+ ") stay in force:\n" + ex.getMessage());
			this.listeners.forEach((listener) -> listener.rejected(ex.problems()));
			return false;
		}
		CompiledPolicies snapshot;
		try {
			snapshot = this.compiler.compile(policiesOf(loaded));
		}
		catch (IllegalArgumentException ex) {
			return rejectUncompilable(newFingerprint, ex);
		}
		String unenforceable = PeerAuthenticationCheck.unenforceable(snapshot, this.serverMtls);
		if (unenforceable != null) {
			logger.error("Policy change rejected; the last good policies (generation " + previous.generation()
					+ ") stay in force: " + unenforceable);
			List<PolicyProblem> problems = List.of(new PolicyProblem(describeSources(), 0, PolicyProblem.NO_FIELD,
					unenforceable, PolicyProblem.Severity.ERROR));
			rejected(newFingerprint, problems);
			this.listeners.forEach((listener) -> listener.rejected(problems));
			return false;
		}
		List<Misconfiguration> misconfigurations = checkCoverage(loaded, snapshot);
		if (this.requirePolicies && !misconfigurations.isEmpty()) {
			logger.error("Policy change rejected (istio.security.require-policies); the last good policies (generation "
					+ previous.generation() + ") stay in force:\n"
					+ new MisconfigurationException(misconfigurations).getMessage());
			List<PolicyProblem> problems = misconfigurations.stream()
				.map((found) -> new PolicyProblem(describeSources(), 0, PolicyProblem.NO_FIELD, found.message(),
						PolicyProblem.Severity.ERROR))
				.toList();
			rejected(newFingerprint, problems);
			this.listeners.forEach((listener) -> listener.rejected(problems));
			return false;
		}
		ActivePolicies next;
		try {
			next = build(loaded, snapshot, previous.generation() + 1);
		}
		catch (IllegalArgumentException ex) {
			return rejectUncompilable(newFingerprint, ex);
		}
		this.active = next;
		this.keySources.retainOnly(next.compiled().jwtRules());
		this.fingerprint = newFingerprint;
		this.rejectedFingerprint = null;
		logApplied(next, "reloaded");
		report(misconfigurations, snapshot);
		this.listeners.forEach((listener) -> listener.applied(next));
		return true;
	}

	private List<LoadResult> loadAll() {
		List<LoadResult> results = new ArrayList<>();
		List<PolicyProblem> problems = new ArrayList<>();
		for (PolicySource source : this.sources) {
			try {
				results.add(source.load());
			}
			catch (PolicyLoadException ex) {
				problems.addAll(ex.problems());
			}
		}
		if (!problems.isEmpty()) {
			throw new PolicyLoadException(problems);
		}
		return results;
	}

	private void rejected(String newFingerprint, List<PolicyProblem> problems) {
		this.rejectedChange = new RejectedChange(this.clock.instant(), problems);
		this.rejectedFingerprint = newFingerprint;
	}

	private boolean rejectUncompilable(String newFingerprint, IllegalArgumentException ex) {
		rejected(newFingerprint, List.of(new PolicyProblem(describeSources(), 0, PolicyProblem.NO_FIELD,
				String.valueOf(ex.getMessage()), PolicyProblem.Severity.ERROR)));
		logger.error("Policy change rejected; the last good policies stay in force: " + ex.getMessage());
		return false;
	}

	private static List<IstioPolicy> policiesOf(List<LoadResult> loaded) {
		List<IstioPolicy> policies = new ArrayList<>();
		loaded.forEach((result) -> policies.addAll(result.policies()));
		return policies;
	}

	private List<Misconfiguration> checkCoverage(List<LoadResult> loaded, CompiledPolicies snapshot) {
		List<String> descriptions = this.sources.stream().map(PolicySource::description).toList();
		return PolicyCoverage.check(loaded, snapshot, this.compiler.workload(), descriptions);
	}

	private String describeSources() {
		return String.join("; ", this.sources.stream().map(PolicySource::description).toList());
	}

	/**
	 * Logs each misconfiguration (and the mutual TLS warning) whose cause is new or
	 * changed since the last applied load, so that reloads with the same cause stay quiet
	 * and a cause that went away is reported again when it comes back.
	 */
	private void report(List<Misconfiguration> misconfigurations, CompiledPolicies snapshot) {
		Map<String, String> warnings = new LinkedHashMap<>();
		String mtlsWarning = PeerAuthenticationCheck.unauthenticated(snapshot, this.serverMtls);
		if (mtlsWarning != null) {
			warnings.put(mtlsWarning, mtlsWarning);
		}
		misconfigurations.forEach((found) -> warnings.put(found.kind() + "\u0000" + found.message(), found.message()));
		this.coverageWarnings.report(logger, warnings);
	}

	private ActivePolicies build(List<LoadResult> loaded, CompiledPolicies snapshot, long generation) {
		List<PolicyProblem> warnings = new ArrayList<>();
		for (LoadResult result : loaded) {
			warnings.addAll(result.warnings());
		}
		warnings.addAll(lint(snapshot));
		this.keySources.warmUp(snapshot.jwtRules());
		JwtAuthenticator jwt = new JwtAuthenticator(snapshot.jwtRules(), this.keySources, this.tokenCache,
				this.jwtSettings);
		return new ActivePolicies(snapshot, jwt, generation, this.clock.instant(), warnings);
	}

	private List<PolicyProblem> lint(CompiledPolicies snapshot) {
		try {
			return this.lint.check(snapshot, this.compiler.workload(), this.compiler.mesh());
		}
		catch (RuntimeException ex) {
			// a lint is advice: a fault in it must not refuse a valid load
			logger.warn("Policy lint failed; the policies are applied without it", ex);
			return List.of();
		}
	}

	private String fingerprintOfSources() {
		StringBuilder fingerprint = new StringBuilder();
		for (PolicySource source : this.sources) {
			fingerprint.append(source.fingerprint()).append("\n--\n");
		}
		return fingerprint.toString();
	}

	private void logApplied(ActivePolicies policies, String verb) {
		Map<String, String> warnings = new LinkedHashMap<>();
		for (PolicyProblem warning : policies.warnings()) {
			warnings.put(warning.resource() + "\u0000" + warning.field() + "\u0000" + warning.message(),
					"Policy lint: " + warning);
		}
		this.lintWarnings.report(logger, warnings);
		if (logger.isInfoEnabled()) {
			CompiledPolicies snapshot = policies.compiled();
			logger.info("Istio policies " + verb + " (generation " + policies.generation() + "): "
					+ snapshot.appliedPolicies().size() + " apply to this workload, "
					+ snapshot.ignoredPolicies().size() + " do not, " + snapshot.jwtRules().size() + " JWT rule(s)"
					+ (snapshot.authorization().denyByDefault() ? ", deny by default" : ""));
		}
		for (CompiledPolicies.IgnoredPolicy ignored : policies.compiled().ignoredPolicies()) {
			if (logger.isDebugEnabled()) {
				logger.debug(
						"Not applicable: " + ignored.policy().kind().kindName() + " " + ignored.policy().qualifiedName()
								+ " (" + ignored.policy().origin() + "): " + ignored.reason());
			}
		}
	}

}
