package io.github.istiosecurity.jwt;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The tokens of one request, each parsed once however many rules look at it (§2.5: rules sharing a location
 * see the same token).
 */
final class RequestTokens {

	private @Nullable List<ParsedToken> parsed;

	ParsedToken parse(String token) {
		ParsedToken known = find(token);
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

	private @Nullable ParsedToken find(String token) {
		List<ParsedToken> list = this.parsed;
		if (list != null) {
			for (ParsedToken candidate : list) {
				if (candidate.value.equals(token)) {
					return candidate;
				}
			}
		}
		return null;
	}

}
