package io.github.istiosecurity.internal.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.istiosecurity.internal.load.LoadResult;
import io.github.istiosecurity.internal.load.PolicyLoadException;
import io.github.istiosecurity.internal.load.PolicyLoader;
import io.github.istiosecurity.internal.load.PolicyProblem;
import io.github.istiosecurity.internal.runtime.PolicySource;
import io.github.istiosecurity.model.IstioPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Policies from the Kubernetes API: one fabric8 informer per kind and namespace (the
 * workload's and the root namespace, §1.3) keeps a local copy of the
 * {@code security.istio.io} objects, and every add, change and delete is announced
 * through {@link #onChange} so that the runtime swaps in the new set at once.
 *
 * <p>
 * Each object is validated on its own, exactly as a policy file
 * ({@link PolicyLoader#parse}, named {@code k8s:<kind> <namespace>/<name>}). Unlike a
 * file, an invalid object does not hold back the others: it is left out of the set,
 * logged at WARN and listed by {@link #invalidObjects()}, as istiod would skip it. When
 * the API server is unreachable the informers keep their last copy, so the last set stays
 * in force, and they reconnect and re-list by themselves.
 *
 * <p>
 * {@link #start()} waits until every informer has listed its objects, at most the sync
 * timeout; if that expires it throws {@link KubernetesPolicySyncException}, so the
 * application never serves with a set that is incomplete by accident.
 */
public final class KubernetesPolicySource implements PolicySource, AutoCloseable {

	private static final Log logger = LogFactory.getLog(KubernetesPolicySource.class);

	private final KubernetesClient client;

	private final PolicyLoader loader;

	private final List<String> namespaces;

	private final Duration syncTimeout;

	private final List<Watched> watched = new ArrayList<>();

	private final AtomicLong changes = new AtomicLong();

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	private Map<String, Converted> converted = new HashMap<>();

	private volatile Map<String, List<PolicyProblem>> invalid = Map.of();

	private volatile String lastError = "none";

	private volatile boolean started;

	/**
	 * Creates the source without contacting the API server; {@link #start()} starts it.
	 * @param client the client
	 * @param loader validates and converts each object
	 * @param workloadNamespace the namespace of this workload
	 * @param rootNamespace the mesh root namespace
	 * @param syncTimeout how long {@link #start()} waits for the first complete list
	 */
	public KubernetesPolicySource(KubernetesClient client, PolicyLoader loader, String workloadNamespace,
			String rootNamespace, Duration syncTimeout) {
		this.client = client;
		this.loader = loader;
		this.namespaces = List.copyOf(new LinkedHashSet<>(List.of(workloadNamespace, rootNamespace)));
		this.syncTimeout = syncTimeout;
	}

	/**
	 * Starts the informers and waits for their first complete list; the policy runtime
	 * calls it when it starts.
	 * @throws KubernetesPolicySyncException if they have not listed within the sync
	 * timeout
	 */
	@Override
	public synchronized void start() {
		if (this.started) {
			return;
		}
		this.started = true;
		long deadline = System.nanoTime() + this.syncTimeout.toNanos();
		Map<PolicyResource, String> versions = servedVersions(deadline);
		for (Map.Entry<PolicyResource, String> entry : versions.entrySet()) {
			for (String namespace : this.namespaces) {
				SharedIndexInformer<GenericKubernetesResource> informer = this.client
					.genericKubernetesResources(entry.getKey().context(entry.getValue()))
					.inNamespace(namespace)
					.runnableInformer(0);
				informer.exceptionHandler(this::informerFailed);
				informer.addEventHandler(new ChangeHandler());
				Watched watched = new Watched(entry.getKey().kind() + "." + entry.getValue() + " in " + namespace,
						informer, informer.start().toCompletableFuture());
				this.watched.add(watched);
			}
		}
		awaitSync(deadline);
		logger.info("Watching Istio policies in namespace(s) " + this.namespaces + " (" + describeWatched() + ")");
	}

	/**
	 * Returns whether every informer has listed and is watching, i.e. the API server is
	 * reachable.
	 * @return whether the source is live
	 */
	public boolean isWatching() {
		for (Watched watched : this.watched) {
			if (!watched.informer().isWatching()) {
				return false;
			}
		}
		return !this.watched.isEmpty();
	}

	/**
	 * Returns the objects left out of the last load because they are invalid, by
	 * {@code kind namespace/name}, with every problem (for logs and the actuator).
	 * @return the invalid objects
	 */
	public Map<String, List<PolicyProblem>> invalidObjects() {
		return this.invalid;
	}

	@Override
	public synchronized LoadResult load() {
		Map<String, GenericKubernetesResource> objects = new LinkedHashMap<>();
		for (Watched watched : this.watched) {
			for (GenericKubernetesResource object : watched.informer().getStore().list()) {
				// a v1 and a v1beta1 view of one object share its uid
				objects.putIfAbsent(key(object), object);
			}
		}
		List<GenericKubernetesResource> ordered = new ArrayList<>(objects.values());
		ordered.sort(Comparator.comparing(PolicyObjects::resourceName));
		Map<String, Converted> next = new HashMap<>();
		Map<String, List<PolicyProblem>> invalidNow = new LinkedHashMap<>();
		List<IstioPolicy> policies = new ArrayList<>();
		List<PolicyProblem> warnings = new ArrayList<>();
		for (GenericKubernetesResource object : ordered) {
			String key = key(object);
			String resourceVersion = String.valueOf(object.getMetadata().getResourceVersion());
			Converted conversion = this.converted.get(key);
			if (conversion == null || !conversion.resourceVersion().equals(resourceVersion)) {
				conversion = convert(object, resourceVersion);
			}
			next.put(key, conversion);
			if (conversion.result() != null) {
				policies.addAll(conversion.result().policies());
				warnings.addAll(conversion.result().warnings());
			}
			else {
				invalidNow.put(object.getKind() + " " + PolicyObjects.qualifiedName(object), conversion.problems());
			}
		}
		this.converted = next;
		this.invalid = Map.copyOf(invalidNow);
		return new LoadResult(policies, warnings);
	}

	@Override
	public String fingerprint() {
		return "k8s@" + this.changes.get();
	}

	@Override
	public String description() {
		return "Kubernetes API, namespace(s) " + this.namespaces;
	}

	@Override
	public void onChange(Runnable listener) {
		this.listeners.add(listener);
	}

	@Override
	public synchronized void close() {
		for (Watched watched : this.watched) {
			watched.informer().stop();
		}
		this.watched.clear();
	}

	private Converted convert(GenericKubernetesResource object, String resourceVersion) {
		String name = PolicyObjects.resourceName(object);
		try {
			LoadResult result = this.loader.parse(name,
					PolicyObjects.toDocument(object, this.client.getKubernetesSerialization()));
			return new Converted(resourceVersion, result, List.of());
		}
		catch (PolicyLoadException ex) {
			logger.warn("Ignoring invalid Istio policy " + name + " (resourceVersion " + resourceVersion
					+ "); the other policies stay in force:\n" + ex.getMessage());
			return new Converted(resourceVersion, null, ex.problems());
		}
	}

	private static String key(GenericKubernetesResource object) {
		String uid = object.getMetadata().getUid();
		return (uid != null) ? uid : PolicyObjects.resourceName(object);
	}

	private void changed() {
		this.changes.incrementAndGet();
		for (Runnable listener : this.listeners) {
			listener.run();
		}
	}

	private boolean informerFailed(boolean started, Throwable failure) {
		this.lastError = String.valueOf(failure.getMessage());
		logger.warn("Istio policy informer failed (" + this.lastError + "); the last listed policies stay in force "
				+ "and it retries");
		// keep retrying: the informer backs off and re-lists when the API server answers
		// again
		return true;
	}

	/**
	 * Chooses, per kind, the first version the API server serves ({@code v1}, else
	 * {@code v1beta1}). A kind that is not served at all (Istio's CRDs are not installed)
	 * has no objects and is not watched.
	 */
	private Map<PolicyResource, String> servedVersions(long deadline) {
		Map<PolicyResource, CompletableFuture<@Nullable String>> probes = new LinkedHashMap<>();
		for (PolicyResource resource : PolicyResource.values()) {
			probes.put(resource, CompletableFuture.supplyAsync(() -> servedVersion(resource)));
		}
		Map<PolicyResource, String> versions = new LinkedHashMap<>();
		for (Map.Entry<PolicyResource, CompletableFuture<@Nullable String>> probe : probes.entrySet()) {
			String version;
			try {
				version = probe.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw syncFailed(probe.getKey().kind() + " (discovery)");
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Cannot probe " + probe.getKey().kind(), ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw syncFailed(probe.getKey().kind() + " (interrupted)");
			}
			if (version != null) {
				versions.put(probe.getKey(), version);
			}
			else {
				logger.warn("The API server serves no " + PolicyResource.GROUP + " version of " + probe.getKey().kind()
						+ " (are Istio's CRDs installed?); there are none to enforce");
			}
		}
		return versions;
	}

	private @Nullable String servedVersion(PolicyResource resource) {
		for (String version : PolicyResource.VERSIONS) {
			try {
				this.client.genericKubernetesResources(resource.context(version))
					.inNamespace(this.namespaces.get(0))
					.list(new ListOptionsBuilder().withLimit(1L).build());
				return version;
			}
			catch (KubernetesClientException ex) {
				if (ex.getCode() != 404) {
					// unreachable or forbidden: the informer retries, and start-up waits
					// for it
					this.lastError = String.valueOf(ex.getMessage());
					return version;
				}
			}
		}
		return null;
	}

	private void awaitSync(long deadline) {
		for (Watched watched : this.watched) {
			try {
				watched.started().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw syncFailed(pending());
			}
			catch (ExecutionException ex) {
				this.lastError = String.valueOf(ex.getCause());
				// a failed first list is retried by the informer: wait for its sync
				// instead
				while (!watched.informer().hasSynced()) {
					if (System.nanoTime() - deadline >= 0) {
						throw syncFailed(pending());
					}
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw syncFailed(pending());
			}
		}
	}

	private KubernetesPolicySyncException syncFailed(String pending) {
		close();
		return new KubernetesPolicySyncException(this.syncTimeout, pending, this.lastError);
	}

	private String pending() {
		List<String> pending = new ArrayList<>();
		for (Watched watched : this.watched) {
			if (!watched.informer().hasSynced()) {
				pending.add(watched.description());
			}
		}
		return String.join(", ", pending);
	}

	private String describeWatched() {
		List<String> descriptions = new ArrayList<>();
		for (Watched watched : this.watched) {
			descriptions.add(watched.description());
		}
		return String.join(", ", descriptions);
	}

	private record Watched(String description, SharedIndexInformer<GenericKubernetesResource> informer,
			CompletableFuture<Void> started) {
	}

	private record Converted(String resourceVersion, @Nullable LoadResult result, List<PolicyProblem> problems) {
	}

	/**
	 * Announces every real change; a resync that re-delivers an unchanged object is not
	 * one.
	 */
	private final class ChangeHandler implements ResourceEventHandler<GenericKubernetesResource> {

		@Override
		public void onAdd(GenericKubernetesResource object) {
			changed();
		}

		@Override
		public void onUpdate(GenericKubernetesResource previous, GenericKubernetesResource object) {
			String before = previous.getMetadata().getResourceVersion();
			if (before == null || !before.equals(object.getMetadata().getResourceVersion())) {
				changed();
			}
		}

		@Override
		public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
			changed();
		}

	}

}
