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

}
