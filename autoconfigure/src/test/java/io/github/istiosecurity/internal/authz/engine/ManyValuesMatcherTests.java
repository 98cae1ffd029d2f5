package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.github.istiosecurity.internal.authz.match.StringMatcher;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A check with many values hashes its exact ones ({@link ValueAlternatives},
 * {@link RequestPrincipalMatcher}); it must match exactly when one of its values alone
 * would.
 */
class ManyValuesMatcherTests {

	private static final String[] ISSUERS = { "https://a", "https://b", "https://a/x" };

	private static final String[] SUBJECTS = { "alice", "bob", "", "x/alice", "carol" };

	@Test
	void manyRequestPrincipalsMatchAsEachDoesAlone() {
		Random random = new Random(7);
		for (int round = 0; round < 500; round++) {
			List<String> values = new ArrayList<>();
			int count = 1 + random.nextInt(20);
			for (int i = 0; i < count; i++) {
				values.add(principal(random));
			}
			RequestPrincipalMatcher all = new RequestPrincipalMatcher(values.toArray(String[]::new));
			for (int r = 0; r < 20; r++) {
				TestRequest request = TestRequest.get("/")
					.claims(Map.of("iss", pick(random, ISSUERS), "sub", pick(random, SUBJECTS)));
				boolean anyAlone = values.stream()
					.anyMatch((value) -> new RequestPrincipalMatcher(value).matches(request));
				assertThat(all.matches(request)).as("%s for %s", values, request.jwtClaims()).isEqualTo(anyAlone);
			}
		}
	}

	@Test
	void manyHeaderValuesMatchAsEachDoesAlone() {
		Random random = new Random(8);
		for (int round = 0; round < 500; round++) {
			List<StringMatcher> values = new ArrayList<>();
			int count = 1 + random.nextInt(20);
			for (int i = 0; i < count; i++) {
				String value = "v" + random.nextInt(30);
				values.add(switch (random.nextInt(8)) {
					case 0 -> new StringMatcher.Prefix(value);
					case 1 -> new StringMatcher.Suffix(value.substring(1));
					default -> new StringMatcher.Exact(value);
				});
			}
			StringAttributeMatcher all = new StringAttributeMatcher(StringAttribute.header("x-v"),
					values.toArray(StringMatcher[]::new));
			for (int r = 0; r < 20; r++) {
				TestRequest request = TestRequest.get("/").header("x-v", "v" + random.nextInt(40));
				boolean anyAlone = values.stream()
					.anyMatch((value) -> new StringAttributeMatcher(StringAttribute.header("x-v"), value)
						.matches(request));
				assertThat(all.matches(request)).as("%s for %s", values, request.header("x-v")).isEqualTo(anyAlone);
			}
		}
	}

	private static String principal(Random random) {
		String issuer = pick(random, ISSUERS);
		String subject = pick(random, SUBJECTS);
		return switch (random.nextInt(10)) {
			case 0 -> "*";
			case 1 -> issuer + "/*";
			case 2 -> "*/" + subject;
			case 3 -> issuer;
			default -> issuer + "/" + subject;
		};
	}

	private static String pick(Random random, String[] values) {
		return values[random.nextInt(values.length)];
	}

}
