package io.github.istiosecurity.check;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The decision for a {@link CheckRequest}, with its explanation. The first seven
 * components are the contract of the actuator endpoint's {@code check} and keep their
 * names.
 *
 * @param status the HTTP status the request would get: 200, 401 or 403 (or what an
 * extension authorizer answers), 400 or 404 for a request-target refused before any
 * decision
 * @param allowed whether the request would reach the application
 * @param policy {@code namespace/name} of the deciding policy, or {@code null} for a
 * default decision
 * @param rule the deciding rule's index in {@code spec.rules}, or {@code null}
 * @param action {@code ALLOW}, {@code DENY} or {@code CUSTOM}: the deciding policy's
 * action, or {@code NONE}
 * @param reason one sentence saying why
 * @param evaluated every AuthorizationPolicy that applies, whether it matched and why
 * @param body the response body the client would get ({@code ""} when allowed)
 * @param path the normalized path the request was decided on
 * @param requestPrincipal the request principal the decision saw, or {@code null}
 * @param jwt what JWT authentication did: {@code not-processed}, {@code no-token},
 * {@code verified}, {@code assumed} (principal or claims given) or {@code rejected}
 * @param audit {@code namespace/name rule N} of the AUDIT rule that marked the request,
 * or {@code null}
 * @param dryRun what dry-run policies would have done, one line each
 * @param notes anything the caller should know about the hypothetical request itself
 * @param custom what step 2 did when a CUSTOM rule matched: the extension provider it
 * named and its answer; {@code null} when no CUSTOM rule matched
 */
public record CheckResult(int status, boolean allowed, @Nullable String policy, @Nullable Integer rule, String action,
		String reason, List<PolicyEvaluation> evaluated, String body, String path, @Nullable String requestPrincipal,
		String jwt, @Nullable String audit, List<String> dryRun, List<String> notes, @Nullable String custom) {

	public CheckResult {
		evaluated = List.copyOf(evaluated);
		dryRun = List.copyOf(dryRun);
		notes = List.copyOf(notes);
	}

	/**
	 * Renders the result for a test failure or a log line: the decision, then each policy
	 * evaluated.
	 * @return the explanation, several lines
	 */
	public String explanation() {
		StringBuilder text = new StringBuilder();
		text.append(this.status)
			.append(' ')
			.append(this.allowed ? "allowed" : "denied")
			.append(" (path ")
			.append(this.path)
			.append(this.requestPrincipal != null ? ", principal " + this.requestPrincipal : "")
			.append(", jwt ")
			.append(this.jwt)
			.append("): ")
			.append(this.reason);
		for (PolicyEvaluation evaluation : this.evaluated) {
			text.append("\n  ")
				.append(evaluation.action())
				.append(evaluation.dryRun() ? " (dry-run) " : " ")
				.append(evaluation.name())
				.append(evaluation.matched() ? " matched: " : " did not match: ")
				.append(evaluation.why());
		}
		if (this.custom != null) {
			text.append("\n  CUSTOM: ").append(this.custom);
		}
		this.dryRun.forEach((line) -> text.append("\n  ").append(line));
		this.notes.forEach((note) -> text.append("\n  note: ").append(note));
		return text.toString();
	}

}
