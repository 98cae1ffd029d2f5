package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.internal.kubernetes.KubernetesPolicySyncException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up stopped because the Istio policies could not be listed from the
 * Kubernetes API in time: the application fails closed instead of serving with a set that
 * may lack a DENY.
 */
final class KubernetesPolicySyncFailureAnalyzer extends AbstractFailureAnalyzer<KubernetesPolicySyncException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KubernetesPolicySyncException cause) {
		return new FailureAnalysis(
				"Istio security policies could not be listed from the Kubernetes API within " + cause.timeout()
						+ "; still pending: " + cause.pending() + ". The application does not start "
						+ "without its complete policy set (fail closed).\n" + cause.getMessage(),
				"Check that the API server is reachable and that the pod's service account may 'list' and 'watch' "
						+ "authorizationpolicies, requestauthentications and peerauthentications (security.istio.io) "
						+ "in its namespace and the root namespace (see sample-httpbin/k8s/rbac.yaml). Raise "
						+ "'istio.security.kubernetes.sync-timeout' for a slow API server, or set "
						+ "'istio.security.kubernetes.enabled=false' to read policies from files only. Kubernetes "
						+ "restarts the pod.",
				cause);
	}

}
