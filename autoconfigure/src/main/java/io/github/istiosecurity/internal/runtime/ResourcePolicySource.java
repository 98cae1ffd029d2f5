package io.github.istiosecurity.internal.runtime;

import java.io.IOException;
import java.util.List;

import io.github.istiosecurity.internal.load.LoadResult;
import io.github.istiosecurity.internal.load.PolicyLoader;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Policies from Spring resource locations ({@code classpath:}, {@code classpath*:},
 * {@code file:} with globs). The fingerprint lists every matching resource with its size
 * and modification time, so files added, removed or changed under a pattern are noticed.
 * Locations the application chose are reported when they match no file; the starter's
 * default location is optional.
 */
public final class ResourcePolicySource implements PolicySource {

	private final List<String> locations;

	private final PolicyLoader loader;

	private final ResourcePatternResolver resolver;

	private final boolean reportUnmatched;

	/**
	 * Creates a source whose locations are expected to match files.
	 * @param locations the locations or patterns
	 * @param loader the loader
	 * @param resolver resolves the locations
	 */
	public ResourcePolicySource(List<String> locations, PolicyLoader loader, ResourcePatternResolver resolver) {
		this(locations, loader, resolver, true);
	}

	/**
	 * Creates the source.
	 * @param locations the locations or patterns
	 * @param loader the loader
	 * @param resolver resolves the locations
	 * @param reportUnmatched whether a location that matches no file is reported (false
	 * for the default location, which an application that takes its policies from
	 * elsewhere leaves empty)
	 */
	public ResourcePolicySource(List<String> locations, PolicyLoader loader, ResourcePatternResolver resolver,
			boolean reportUnmatched) {
		this.locations = List.copyOf(locations);
		this.loader = loader;
		this.resolver = resolver;
		this.reportUnmatched = reportUnmatched;
	}

	@Override
	public LoadResult load() {
		LoadResult result = this.loader.loadAll(this.locations, this.resolver);
		return this.reportUnmatched ? result : result.withoutUnmatchedLocations();
	}

	@Override
	public String fingerprint() {
		StringBuilder fingerprint = new StringBuilder();
		for (String location : this.locations) {
			try {
				for (Resource resource : this.resolver.getResources(location)) {
					if (!resource.exists()) {
						continue;
					}
					fingerprint.append(resource.getDescription()).append('|');
					try {
						fingerprint.append(resource.contentLength()).append('|').append(resource.lastModified());
					}
					catch (IOException ex) {
						fingerprint.append("unreadable");
					}
					fingerprint.append('\n');
				}
			}
			catch (IOException ex) {
				fingerprint.append(location).append("|unresolvable\n");
			}
		}
		return fingerprint.toString();
	}

	@Override
	public String description() {
		return String.join(", ", this.locations);
	}

}
