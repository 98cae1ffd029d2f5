package io.github.istiosecurity.internal.authz.match;

/**
 * Matchers over one peer identity (a URI SAN such as
 * {@code spiffe://cluster.local/ns/foo/sa/bar}, a DNS SAN or a subject), compiled the way
 * istiod compiles {@code principals}, {@code namespaces}, {@code serviceAccounts} and
 * {@code trustDomains} (§3.7), without regular expressions.
 */
public final class IdentityPatterns {

	private static final String SPIFFE = "spiffe://";

	private IdentityPatterns() {
	}

	/**
	 * Returns the identity a principal is written for: {@code cluster.local/ns/a/sa/b} is
	 * the URI SAN {@code spiffe://cluster.local/ns/a/sa/b}; a value already a
	 * {@code spiffe://} URI is kept.
	 * @param principal the principal as policies write it
	 * @return the identity
	 */
	public static String identityOf(String principal) {
		return principal.startsWith(SPIFFE) ? principal : SPIFFE + principal;
	}

	/**
	 * Returns an identity as policies write a principal: a SPIFFE URI without its scheme;
	 * other identities (DNS SANs, subjects) as they are.
	 * @param identity a peer identity
	 * @return the principal
	 */
	public static String principalOf(String identity) {
		return identity.startsWith(SPIFFE) ? identity.substring(SPIFFE.length()) : identity;
	}

	/**
	 * {@code principals}: exact means {@code spiffe://v}; {@code v*} a prefix of
	 * {@code spiffe://v}; {@code *v} means {@code spiffe://.*v}; {@code *} any identity
	 * at all.
	 * @param value the (trust-domain rewritten) principal
	 * @return the matcher
	 */
	public static StringMatcher principal(String value) {
		if (value.equals("*")) {
			return StringMatcher.NON_EMPTY;
		}
		if (value.startsWith("*")) {
			String suffix = value.substring(1);
			return (id) -> id.startsWith(SPIFFE) && id.length() >= SPIFFE.length() + suffix.length()
					&& id.endsWith(suffix);
		}
		if (value.endsWith("*")) {
			return new StringMatcher.Prefix(SPIFFE + value.substring(0, value.length() - 1));
		}
		return new StringMatcher.Exact(SPIFFE + value);
	}

	/**
	 * {@code namespaces}: the full match of {@code .*}{@code /ns/<v>/.*} where every
	 * {@code *} of the value is a wildcard for any sequence.
	 * @param value the namespace pattern
	 * @return the matcher
	 */
	public static StringMatcher namespace(String value) {
		return (id) -> {
			for (int at = id.indexOf("/ns/"); at >= 0; at = id.indexOf("/ns/", at + 1)) {
				int from = at + 4;
				for (int slash = id.indexOf('/', from); slash >= 0; slash = id.indexOf('/', slash + 1)) {
					if (glob(value, 0, id, from, slash)) {
						return true;
					}
				}
			}
			return false;
		};
	}

	/**
	 * {@code serviceAccounts}: {@code spiffe://.+/ns/<ns>/(.+/|)sa/<sa>(/.+)?}, any trust
	 * domain.
	 * @param namespace the service account's namespace
	 * @param serviceAccount the service account's name
	 * @return the matcher
	 */
	public static StringMatcher serviceAccount(String namespace, String serviceAccount) {
		String nsPart = "/ns/" + namespace + "/";
		String saPart = "sa/" + serviceAccount;
		return (id) -> {
			if (!id.startsWith(SPIFFE)) {
				return false;
			}
			for (int at = id.indexOf(nsPart, SPIFFE.length() + 1); at >= 0; at = id.indexOf(nsPart, at + 1)) {
				int rest = at + nsPart.length();
				for (int sa = id.indexOf(saPart, rest); sa >= 0; sa = id.indexOf(saPart, sa + 1)) {
					// "sa/" right after ".../ns/<ns>/" or after a "/" further on
					boolean boundary = (sa == rest) || (sa > rest + 1 && id.charAt(sa - 1) == '/');
					int end = sa + saPart.length();
					boolean tail = (end == id.length()) || (id.charAt(end) == '/' && end + 1 < id.length());
					if (boundary && tail) {
						return true;
					}
				}
			}
			return false;
		};
	}

	/**
	 * {@code trustDomains}: exact means the identity starts with {@code spiffe://v/};
	 * {@code *} any SPIFFE identity; one leading or trailing {@code *} a wildcard within
	 * the trust-domain part.
	 * @param value the trust domain pattern
	 * @return the matcher
	 */
	public static StringMatcher trustDomain(String value) {
		if (value.equals("*")) {
			return new StringMatcher.Prefix(SPIFFE);
		}
		if (!value.startsWith("*") && !value.endsWith("*")) {
			return new StringMatcher.Prefix(SPIFFE + value + "/");
		}
		return (id) -> {
			if (!id.startsWith(SPIFFE)) {
				return false;
			}
			int end = id.indexOf('/', SPIFFE.length());
			return end >= 0 && glob(value, 0, id, SPIFFE.length(), end);
		};
	}

	/**
	 * Whether {@code text[from, to)} matches {@code pattern[p..]} where {@code *} is any
	 * sequence.
	 */
	static boolean glob(String pattern, int p, String text, int from, int to) {
		while (p < pattern.length()) {
			char c = pattern.charAt(p);
			if (c == '*') {
				for (int split = to; split >= from; split--) {
					if (glob(pattern, p + 1, text, split, to)) {
						return true;
					}
				}
				return false;
			}
			if (from >= to || text.charAt(from) != c) {
				return false;
			}
			p++;
			from++;
		}
		return from == to;
	}

}
