package io.github.istiosecurity.internal.authz.engine;

import java.util.Arrays;
import java.util.List;

import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.match.StringMatcher;

/**
 * True when some identity of the verified peer certificate matches one of the patterns;
 * never true for plaintext (§3.7).
 */
public final class PeerIdentityMatcher implements RequestMatcher {

	private final String field;

	private final StringMatcher[] patterns;

	/**
	 * Creates the matcher.
	 * @param field the policy field, for {@link #toString()}
	 * @param patterns identity patterns, see
	 * {@link io.github.istiosecurity.internal.authz.match.IdentityPatterns}
	 */
	public PeerIdentityMatcher(String field, StringMatcher... patterns) {
		this.field = field;
		this.patterns = patterns.clone();
	}

	@Override
	public boolean matches(RequestAttributes request) {
		List<String> identities = request.peerIdentities();
		for (int i = 0; i < identities.size(); i++) {
			String identity = identities.get(i);
			for (StringMatcher pattern : this.patterns) {
				if (pattern.matches(identity)) {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return this.field + " in " + Arrays.toString(this.patterns);
	}

}
