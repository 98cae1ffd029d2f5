package io.github.istiosecurity.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.internal.authz.compile.CompiledPolicies;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.KeySetStatus;
import io.github.istiosecurity.internal.load.PolicyProblem;
import io.github.istiosecurity.internal.runtime.ActivePolicies;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.runtime.RejectedChange;
import io.github.istiosecurity.model.AuthorizationPolicy;
import io.github.istiosecurity.model.IstioPolicy;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.core.env.Environment;

/**
 * The {@code istio} actuator endpoint: {@code GET /actuator/istio} shows the workload,
 * every policy read (whether it applies and why not), the last change (applied, or
 * refused with its problems), lint warnings and each issuer's key set. Its companion
 * {@code POST /actuator/istio/check} ({@link IstioCheckHandler}) decides hypothetical
 * requests. The endpoint is an ordinary path for the policies: Istio exempts nothing, so
 * an operator's access must be allowed by a policy.
 */
@Endpoint(id = "istio")
public class IstioEndpoint {

	private final PolicyRuntime runtime;

	private final JwksKeySources keySources;

	private final Workload workload;

	private final MeshSettings mesh;

	private final PathNormalization normalization;

	private final Environment environment;

	IstioEndpoint(PolicyRuntime runtime, JwksKeySources keySources, Workload workload, MeshSettings mesh,
			PathNormalization normalization, Environment environment) {
		this.runtime = runtime;
		this.keySources = keySources;
		this.workload = workload;
		this.mesh = mesh;
		this.normalization = normalization;
		this.environment = environment;
	}

	/**
	 * Describes the policies in force and their inputs.
	 * @return the description
	 */
	@ReadOperation
	public IstioDescriptor describe() {
		ActivePolicies active = this.runtime.current();
		CompiledPolicies snapshot = active.compiled();
		List<PolicyDescriptor> policies = new ArrayList<>();
		snapshot.appliedPolicies().forEach((policy) -> policies.add(PolicyDescriptor.of(policy, null)));
		snapshot.ignoredPolicies()
			.forEach((ignored) -> policies.add(PolicyDescriptor.of(ignored.policy(), ignored.reason())));
		RejectedChange rejected = this.runtime.rejectedChange();
		ChangeDescriptor change = (rejected != null)
				? new ChangeDescriptor("rejected", rejected.at().toString(),
						rejected.problems().stream().map(ProblemDescriptor::of).toList())
				: new ChangeDescriptor("applied", active.appliedAt().toString(), List.of());
		List<IssuerDescriptor> issuers = new ArrayList<>();
		for (JwtRule rule : snapshot.jwtRules()) {
			issuers.add(IssuerDescriptor.of(rule, this.keySources.status(rule)));
		}
		return new IstioDescriptor(
				new WorkloadDescriptor(this.workload.namespace(), this.workload.labels(), this.mesh.rootNamespace(),
						this.mesh.trustDomain()),
				this.normalization.name(), active.generation(), change, policies,
				active.warnings().stream().map(PolicyProblem::toString).toList(), issuers,
				snapshot.peerAuthentication().mode(localPort()).name(), snapshot.authorization().denyByDefault());
	}

	private int localPort() {
		return IstioCheckHandler.localPort(this.environment);
	}

	/**
	 * What {@code GET /actuator/istio} answers.
	 *
	 * @param workload the workload policies are selected for
	 * @param pathNormalization the path normalization in force
	 * @param generation the generation of the policies in force
	 * @param lastChange the last change: applied, or refused with its problems
	 * @param policies every policy read, those that apply first
	 * @param warnings lint warnings of the policies in force
	 * @param issuers each JWT rule's issuer and key set
	 * @param mtlsMode the effective PeerAuthentication mode on this server's port
	 * @param denyByDefault whether an ALLOW policy applies, so that requests no rule
	 * allows are denied
	 */
	public record IstioDescriptor(WorkloadDescriptor workload, String pathNormalization, long generation,
			ChangeDescriptor lastChange, List<PolicyDescriptor> policies, List<String> warnings,
			List<IssuerDescriptor> issuers, String mtlsMode, boolean denyByDefault) {
	}

	/**
	 * The workload.
	 *
	 * @param namespace its namespace
	 * @param labels its labels
	 * @param rootNamespace the mesh's root namespace
	 * @param trustDomain the mesh's trust domain
	 */
	public record WorkloadDescriptor(String namespace, Map<String, String> labels, String rootNamespace,
			String trustDomain) {
	}

	/**
	 * The last policy change.
	 *
	 * @param result {@code applied} or {@code rejected}
	 * @param at when
	 * @param problems why it was rejected
	 */
	public record ChangeDescriptor(String result, String at, List<ProblemDescriptor> problems) {
	}

	/**
	 * A problem of a rejected change.
	 *
	 * @param resource the file or object
	 * @param line the line, 0 when none
	 * @param field the field path
	 * @param message what is wrong
	 */
	public record ProblemDescriptor(String resource, int line, String field, String message) {

		static ProblemDescriptor of(PolicyProblem problem) {
			return new ProblemDescriptor(problem.resource(), problem.line(), problem.field(), problem.message());
		}

	}

	/**
	 * A policy read.
	 *
	 * @param kind {@code AuthorizationPolicy}, {@code RequestAuthentication} or
	 * {@code PeerAuthentication}
	 * @param name {@code namespace/name}
	 * @param origin file and line, or the Kubernetes object
	 * @param applies whether it applies to this workload
	 * @param whyNot why it does not apply, or {@code null}
	 * @param action an AuthorizationPolicy's action, else {@code null}
	 * @param dryRun whether an AuthorizationPolicy is dry-run
	 * @param provider a CUSTOM policy's provider, else {@code null}
	 * @param rules an AuthorizationPolicy's number of rules, else {@code null}
	 */
	public record PolicyDescriptor(String kind, String name, String origin, boolean applies, @Nullable String whyNot,
			@Nullable String action, boolean dryRun, @Nullable String provider, @Nullable Integer rules) {

		static PolicyDescriptor of(IstioPolicy policy, @Nullable String whyNot) {
			if (policy instanceof AuthorizationPolicy authorization) {
				return new PolicyDescriptor(policy.kind().kindName(), policy.qualifiedName(),
						policy.origin().toString(), whyNot == null, whyNot, authorization.action().name(),
						authorization.dryRun(), authorization.provider(), authorization.rules().size());
			}
			return new PolicyDescriptor(policy.kind().kindName(), policy.qualifiedName(), policy.origin().toString(),
					whyNot == null, whyNot, null, false, null, null);
		}

	}

	/**
	 * An issuer and its key set.
	 *
	 * @param issuer the issuer
	 * @param jwks {@code inline}, or where the keys are fetched from
	 * @param status {@code ok}, {@code pending} (never fetched yet), {@code failing}
	 * (refresh fails, earlier keys in use) or {@code down} (no keys: every token of the
	 * issuer is rejected)
	 * @param keyIds the {@code kid} of each key held
	 * @param fetchedAt when the keys held were fetched, or {@code null}
	 * @param lastFailure why the last fetch failed, or {@code null}
	 * @param failedAt when, or {@code null}
	 */
	public record IssuerDescriptor(String issuer, String jwks, String status, List<String> keyIds,
			@Nullable String fetchedAt, @Nullable String lastFailure, @Nullable String failedAt) {

		static IssuerDescriptor of(JwtRule rule, KeySetStatus keys) {
			return new IssuerDescriptor(rule.issuer(), keys.location(), keys.state(), keys.keyIds(),
					(keys.fetchedAt() != null) ? keys.fetchedAt().toString() : null, keys.lastFailure(),
					(keys.lastFailureAt() != null) ? keys.lastFailureAt().toString() : null);
		}

	}

}
