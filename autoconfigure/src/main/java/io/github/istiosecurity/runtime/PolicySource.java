package io.github.istiosecurity.runtime;

import io.github.istiosecurity.load.LoadResult;

/**
 * Where policies come from: files and classpath entries, or (later) the Kubernetes API.
 */
public interface PolicySource {

	/**
	 * Reads every policy of the source.
	 * @return the policies and warnings
	 * @throws io.github.istiosecurity.load.PolicyLoadException naming every invalid file, line and field
	 */
	LoadResult load();

	/**
	 * Returns a cheap value that changes whenever the content may have changed, so a reload can skip
	 * unchanged sources.
	 * @return the fingerprint
	 */
	String fingerprint();

	/**
	 * Describes the source for logs, e.g. its locations.
	 * @return the description
	 */
	String description();

}
