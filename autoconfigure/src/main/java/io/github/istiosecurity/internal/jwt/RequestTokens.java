package io.github.istiosecurity.internal.jwt;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The tokens of one request, each parsed once however many rules look at it (§2.5: rules
 * sharing a location see the same token). Spellings of one token that differ only in
 * empty pieces are one token here, as for Envoy ({@link ParsedToken#canonical}).
 */
final class RequestTokens {

	private @Nullable List<ParsedToken> parsed;

	private @Nullable List<Verified> verified;

	ParsedToken parse(String token) {
		String canonical = ParsedToken.canonical(token);
		ParsedToken known = find((canonical != null) ? canonical : token);
		if (known != null) {
			return known;
		}
		ParsedToken parsedToken = ParsedToken.parse(token);
		remember(parsedToken);
		return parsedToken;
	}

	void remember(ParsedToken token) {
		if (find(token.value) == null) {
			List<ParsedToken> list = this.parsed;
			if (list == null) {
				list = new ArrayList<>(2);
				this.parsed = list;
			}
			list.add(token);
		}
	}

	/**
	 * Notes a token whose signature this request verified, for {@link #cacheVerified()}.
	 * @param cache the cache of the rule that verified it
	 * @param keys the rule's key source
	 * @param token the token
	 * @param thumbprint the thumbprint of the key that verified it
	 */
	void verified(VerifiedTokenCache cache, RuleKeySource keys, ParsedToken token, String thumbprint) {
		List<Verified> list = this.verified;
		if (list == null) {
			list = new ArrayList<>(2);
			this.verified = list;
		}
		list.add(new Verified(cache, keys, token, thumbprint));
	}

	/**
	 * Enters the tokens this request verified into the verified-token cache: once the
	 * request's outcome is built, so that each entry weighs the outcome its token
	 * remembers by then.
	 */
	void cacheVerified() {
		List<Verified> list = this.verified;
		if (list != null) {
			this.verified = null;
			for (Verified verified : list) {
				verified.cache.put(verified.keys, verified.token, verified.thumbprint);
			}
		}
	}

	/**
	 * The token parsed under this value: its canonical spelling, or the token as given if
	 * it has none.
	 */
	private @Nullable ParsedToken find(String value) {
		List<ParsedToken> list = this.parsed;
		if (list != null) {
			for (ParsedToken candidate : list) {
				if (candidate.value.equals(value)) {
					return candidate;
				}
			}
		}
		return null;
	}

	private record Verified(VerifiedTokenCache cache, RuleKeySource keys, ParsedToken token, String thumbprint) {
	}

}
