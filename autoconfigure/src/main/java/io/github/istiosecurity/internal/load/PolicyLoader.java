package io.github.istiosecurity.internal.load;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.github.istiosecurity.model.IstioPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Loads Istio security policies ({@code AuthorizationPolicy},
 * {@code RequestAuthentication}, {@code PeerAuthentication}) from YAML and accepts
 * exactly what Istio accepts: YAML as {@code kubectl} decodes it, the Kubernetes object
 * checks, the CRD schema and Istio's validating webhook (§1, §2.2, §3.2, §4.2). YAML is
 * read through SnakeYAML's node API with limits, never into Java objects.
 *
 * <p>
 * Every error of every resource of one call is collected and thrown together in a
 * {@link PolicyLoadException}; warnings are returned for the caller to log.
 *
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class PolicyLoader {

	private static final Log logger = LogFactory.getLog(PolicyLoader.class);

	private final LoaderSettings settings;

	/**
	 * Creates a loader.
	 * @param settings the settings
	 */
	public PolicyLoader(LoaderSettings settings) {
		this.settings = settings;
	}

	/**
	 * Parses YAML text, which may hold several documents ({@code ---}) and
	 * {@code kind: List} documents.
	 * @param resourceName the name problems and origins use, e.g. a file name
	 * @param yaml the YAML text
	 * @return the policies and warnings
	 * @throws PolicyLoadException if the text has any error
	 */
	public LoadResult parse(String resourceName, String yaml) {
		Accumulator accumulator = new Accumulator();
		accumulator.read(resourceName, new StringReader(yaml));
		return accumulator.result();
	}

	/**
	 * Loads one resource.
	 * @param resource the resource
	 * @return the policies and warnings
	 * @throws PolicyLoadException if the resource cannot be read or has any error
	 */
	public LoadResult load(Resource resource) {
		Accumulator accumulator = new Accumulator();
		accumulator.read(resource);
		return accumulator.result();
	}

	/**
	 * Loads every resource that the locations match, e.g. {@code classpath:istio/*.yaml},
	 * {@code classpath*:policies/**}{@code /*.yaml} or {@code file:/etc/istio/*.yaml}.
	 * The resources of one location are read in the order of their URLs; a location that
	 * matches nothing (including a missing file) contributes nothing and is listed in
	 * {@link LoadResult#unmatchedLocations()}.
	 * @param locations the locations, in order
	 * @param resolver the resolver of patterns
	 * @return the policies and warnings of all resources
	 * @throws PolicyLoadException if any resource cannot be read or has any error; it
	 * lists the errors of all resources
	 */
	public LoadResult loadAll(List<String> locations, ResourcePatternResolver resolver) {
		Accumulator accumulator = new Accumulator();
		for (String location : locations) {
			List<Resource> resources = resolve(location, resolver, accumulator);
			if (resources.isEmpty()) {
				logger.debug("No policy resources match " + location);
				accumulator.unmatchedLocations.add(location);
			}
			for (Resource resource : resources) {
				accumulator.read(resource);
			}
		}
		return accumulator.result();
	}

	private static List<Resource> resolve(String location, ResourcePatternResolver resolver, Accumulator accumulator) {
		try {
			Resource[] resources = resolver.getResources(location);
			return Arrays.stream(resources)
				.filter(Resource::exists)
				.filter(PolicyLoader::isReadableFile)
				.sorted(Comparator.comparing(PolicyLoader::describe))
				.toList();
		}
		catch (FileNotFoundException ex) {
			return List.of();
		}
		catch (IOException ex) {
			accumulator.problems.add(new PolicyProblem(location, 0, PolicyProblem.NO_FIELD,
					"cannot resolve location: " + ex.getMessage(), PolicyProblem.Severity.ERROR));
			return List.of();
		}
	}

	private static boolean isReadableFile(Resource resource) {
		try {
			return !resource.isFile() || resource.getFile().isFile();
		}
		catch (IOException ex) {
			return true;
		}
	}

	private static String describe(Resource resource) {
		try {
			return resource.getURL().toString();
		}
		catch (IOException ex) {
			return resource.getDescription();
		}
	}

	/**
	 * Collects policies and problems over the resources of one call.
	 */
	private final class Accumulator {

		private final List<IstioPolicy> policies = new ArrayList<>();

		private final List<PolicyProblem> problems = new ArrayList<>();

		private final List<PolicyProblem> warnings = new ArrayList<>();

		private final List<String> unmatchedLocations = new ArrayList<>();

		void read(Resource resource) {
			String name = describe(resource);
			try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
				read(name, reader);
			}
			catch (IOException ex) {
				this.problems.add(new PolicyProblem(name, 0, PolicyProblem.NO_FIELD, "cannot read: " + ex.getMessage(),
						PolicyProblem.Severity.ERROR));
			}
		}

		void read(String name, Reader reader) {
			Problems resourceProblems = new Problems(name);
			ManifestReader manifests = new ManifestReader(PolicyLoader.this.settings.defaultNamespace());
			List<IstioPolicy> read = new ArrayList<>();
			new YamlDocumentReader().read(reader, resourceProblems,
					(document) -> manifests.read(document, resourceProblems, read));
			this.policies.addAll(read);
			this.problems.addAll(resourceProblems.list(PolicyProblem.Severity.ERROR));
			this.warnings.addAll(resourceProblems.list(PolicyProblem.Severity.WARNING));
		}

		LoadResult result() {
			if (!this.problems.isEmpty()) {
				throw new PolicyLoadException(this.problems);
			}
			return new LoadResult(this.policies, this.warnings, this.unmatchedLocations);
		}

	}

}
