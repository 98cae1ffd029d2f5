package io.github.istiosecurity.model;

import java.util.List;

/**
 * {@code from[].source}: who sent the request (§3.1, §3.7). Every list is empty when
 * absent; the non-empty fields are ANDed, the values of one list ORed.
 *
 * @param principals peer identities from mTLS
 * @param notPrincipals peer identities that must not match
 * @param requestPrincipals JWT {@code iss/sub}
 * @param notRequestPrincipals JWT {@code iss/sub} that must not match
 * @param namespaces peer namespaces
 * @param notNamespaces peer namespaces that must not match
 * @param serviceAccounts peer service accounts ({@code ns/sa} or {@code sa})
 * @param notServiceAccounts peer service accounts that must not match
 * @param ipBlocks CIDRs of the socket peer
 * @param notIpBlocks CIDRs the socket peer must not be in
 * @param remoteIpBlocks CIDRs of the original client ({@code X-Forwarded-For})
 * @param notRemoteIpBlocks CIDRs the original client must not be in
 * @param trustDomains peer trust domains
 * @param notTrustDomains peer trust domains that must not match
 */
public record Source(List<String> principals, List<String> notPrincipals, List<String> requestPrincipals,
		List<String> notRequestPrincipals, List<String> namespaces, List<String> notNamespaces,
		List<String> serviceAccounts, List<String> notServiceAccounts, List<String> ipBlocks, List<String> notIpBlocks,
		List<String> remoteIpBlocks, List<String> notRemoteIpBlocks, List<String> trustDomains,
		List<String> notTrustDomains) {

	public Source {
		principals = List.copyOf(principals);
		notPrincipals = List.copyOf(notPrincipals);
		requestPrincipals = List.copyOf(requestPrincipals);
		notRequestPrincipals = List.copyOf(notRequestPrincipals);
		namespaces = List.copyOf(namespaces);
		notNamespaces = List.copyOf(notNamespaces);
		serviceAccounts = List.copyOf(serviceAccounts);
		notServiceAccounts = List.copyOf(notServiceAccounts);
		ipBlocks = List.copyOf(ipBlocks);
		notIpBlocks = List.copyOf(notIpBlocks);
		remoteIpBlocks = List.copyOf(remoteIpBlocks);
		notRemoteIpBlocks = List.copyOf(notRemoteIpBlocks);
		trustDomains = List.copyOf(trustDomains);
		notTrustDomains = List.copyOf(notTrustDomains);
	}

	/**
	 * Starts a source with every field empty, for tests and programmatic policies.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds a {@link Source} field by field.
	 */
	public static final class Builder {

		private List<String> principals = List.of();

		private List<String> notPrincipals = List.of();

		private List<String> requestPrincipals = List.of();

		private List<String> notRequestPrincipals = List.of();

		private List<String> namespaces = List.of();

		private List<String> notNamespaces = List.of();

		private List<String> serviceAccounts = List.of();

		private List<String> notServiceAccounts = List.of();

		private List<String> ipBlocks = List.of();

		private List<String> notIpBlocks = List.of();

		private List<String> remoteIpBlocks = List.of();

		private List<String> notRemoteIpBlocks = List.of();

		private List<String> trustDomains = List.of();

		private List<String> notTrustDomains = List.of();

		private Builder() {
		}

		public Builder principals(String... values) {
			this.principals = List.of(values);
			return this;
		}

		public Builder notPrincipals(String... values) {
			this.notPrincipals = List.of(values);
			return this;
		}

		public Builder requestPrincipals(String... values) {
			this.requestPrincipals = List.of(values);
			return this;
		}

		public Builder notRequestPrincipals(String... values) {
			this.notRequestPrincipals = List.of(values);
			return this;
		}

		public Builder namespaces(String... values) {
			this.namespaces = List.of(values);
			return this;
		}

		public Builder notNamespaces(String... values) {
			this.notNamespaces = List.of(values);
			return this;
		}

		public Builder serviceAccounts(String... values) {
			this.serviceAccounts = List.of(values);
			return this;
		}

		public Builder notServiceAccounts(String... values) {
			this.notServiceAccounts = List.of(values);
			return this;
		}

		public Builder ipBlocks(String... values) {
			this.ipBlocks = List.of(values);
			return this;
		}

		public Builder notIpBlocks(String... values) {
			this.notIpBlocks = List.of(values);
			return this;
		}

		public Builder remoteIpBlocks(String... values) {
			this.remoteIpBlocks = List.of(values);
			return this;
		}

		public Builder notRemoteIpBlocks(String... values) {
			this.notRemoteIpBlocks = List.of(values);
			return this;
		}

		public Builder trustDomains(String... values) {
			this.trustDomains = List.of(values);
			return this;
		}

		public Builder notTrustDomains(String... values) {
			this.notTrustDomains = List.of(values);
			return this;
		}

		public Source build() {
			return new Source(this.principals, this.notPrincipals, this.requestPrincipals, this.notRequestPrincipals,
					this.namespaces, this.notNamespaces, this.serviceAccounts, this.notServiceAccounts, this.ipBlocks,
					this.notIpBlocks, this.remoteIpBlocks, this.notRemoteIpBlocks, this.trustDomains,
					this.notTrustDomains);
		}

	}

}
