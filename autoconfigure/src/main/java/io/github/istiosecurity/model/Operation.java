package io.github.istiosecurity.model;

import java.util.List;

/**
 * {@code to[].operation}: what the request does (§3.1, §3.8). Every list is empty when
 * absent; the non-empty fields are ANDed, the values of one list ORed.
 *
 * @param hosts {@code :authority} values (case-insensitive)
 * @param notHosts hosts that must not match
 * @param ports local ports
 * @param notPorts local ports that must not match
 * @param methods HTTP methods (case-sensitive)
 * @param notMethods methods that must not match
 * @param paths normalized paths, with {@code *} and {@code {*}}/{@code {**}} forms
 * @param notPaths paths that must not match
 */
public record Operation(List<String> hosts, List<String> notHosts, List<String> ports, List<String> notPorts,
		List<String> methods, List<String> notMethods, List<String> paths, List<String> notPaths) {

	public Operation {
		hosts = List.copyOf(hosts);
		notHosts = List.copyOf(notHosts);
		ports = List.copyOf(ports);
		notPorts = List.copyOf(notPorts);
		methods = List.copyOf(methods);
		notMethods = List.copyOf(notMethods);
		paths = List.copyOf(paths);
		notPaths = List.copyOf(notPaths);
	}

	/**
	 * Starts an operation with every field empty, for tests and programmatic policies.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds an {@link Operation} field by field.
	 */
	public static final class Builder {

		private List<String> hosts = List.of();

		private List<String> notHosts = List.of();

		private List<String> ports = List.of();

		private List<String> notPorts = List.of();

		private List<String> methods = List.of();

		private List<String> notMethods = List.of();

		private List<String> paths = List.of();

		private List<String> notPaths = List.of();

		private Builder() {
		}

		public Builder hosts(String... values) {
			this.hosts = List.of(values);
			return this;
		}

		public Builder notHosts(String... values) {
			this.notHosts = List.of(values);
			return this;
		}

		public Builder ports(String... values) {
			this.ports = List.of(values);
			return this;
		}

		public Builder notPorts(String... values) {
			this.notPorts = List.of(values);
			return this;
		}

		public Builder methods(String... values) {
			this.methods = List.of(values);
			return this;
		}

		public Builder notMethods(String... values) {
			this.notMethods = List.of(values);
			return this;
		}

		public Builder paths(String... values) {
			this.paths = List.of(values);
			return this;
		}

		public Builder notPaths(String... values) {
			this.notPaths = List.of(values);
			return this;
		}

		public Operation build() {
			return new Operation(this.hosts, this.notHosts, this.ports, this.notPorts, this.methods, this.notMethods,
					this.paths, this.notPaths);
		}

	}

}
