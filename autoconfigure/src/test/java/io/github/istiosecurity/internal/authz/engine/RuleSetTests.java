package io.github.istiosecurity.internal.authz.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.istiosecurity.authz.PolicyRef;
import io.github.istiosecurity.authz.RuleRef;
import io.github.istiosecurity.internal.authz.match.PathTemplate;
import io.github.istiosecurity.internal.authz.match.StringMatcher;
import io.github.istiosecurity.model.Action;
import io.github.istiosecurity.model.PolicyOrigin;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path-prefix and method indexes of {@link RuleSet} are only an optimisation: it must
 * find exactly the rule a linear scan finds, for any mix of indexed and unindexed rules.
 */
class RuleSetTests {

	private static final String[] SEGMENTS = { "api", "apikeys", "v1", "admin", "a", "", "x.txt" };

	@Test
	void emptyRuleSetMatchesNothing() {
		assertThat(new RuleSet(List.of()).firstMatch(TestRequest.get("/"))).isEqualTo(-1);
	}

	@Test
	void findsTheSameFirstRuleAsALinearScan() {
		Random random = new Random(42);
		for (int round = 0; round < 200; round++) {
			List<CompiledRule> rules = new ArrayList<>();
			int count = 1 + random.nextInt(40);
			for (int i = 0; i < count; i++) {
				rules.add(randomRule(random, i));
			}
			RuleSet set = new RuleSet(rules);
			for (int r = 0; r < 50; r++) {
				TestRequest request = TestRequest.request(random.nextBoolean() ? "GET" : "POST", randomPath(random));
				int expected = -1;
				for (int i = 0; i < rules.size(); i++) {
					if (rules.get(i).matcher().matches(request)) {
						expected = i;
						break;
					}
				}
				assertThat(set.firstMatch(request)).as("%s in round %s", request, round).isEqualTo(expected);
			}
		}
	}

	private static CompiledRule randomRule(Random random, int index) {
		RuleRef ref = new RuleRef(new PolicyRef("foo", "p" + index, Action.ALLOW, false, new PolicyOrigin("t", 0)), 0);
		String path = randomPath(random);
		int kind = random.nextInt(6);
		StringMatcher pathMatcher;
		String prefix;
		switch (kind) {
			case 0 -> {
				pathMatcher = new StringMatcher.Exact(path);
				prefix = path;
			}
			case 1 -> {
				String p = path.substring(0, random.nextInt(path.length()) + 1);
				pathMatcher = new StringMatcher.Prefix(p);
				prefix = p;
			}
			case 2 -> {
				pathMatcher = new StringMatcher.Suffix(path.substring(path.length() / 2));
				prefix = null;
			}
			case 3 -> {
				String template = "/" + SEGMENTS[random.nextInt(SEGMENTS.length)] + "/{**}";
				pathMatcher = new StringMatcher.Template(PathTemplate.compile(template));
				prefix = template.substring(0, template.indexOf('{'));
			}
			case 4 -> {
				pathMatcher = StringMatcher.NON_EMPTY;
				prefix = null;
			}
			default -> {
				pathMatcher = null;
				prefix = null;
			}
		}
		String methodName = random.nextBoolean() ? "GET" : "POST";
		RequestMatcher method = new StringAttributeMatcher(StringAttribute.METHOD, new StringMatcher.Exact(methodName));
		RequestMatcher matcher = (pathMatcher != null)
				? RequestMatcher.allOf(new StringAttributeMatcher(StringAttribute.PATH, pathMatcher), method) : method;
		return new CompiledRule(ref, matcher, (prefix != null) ? new String[] { prefix } : null);
	}

	private static String randomPath(Random random) {
		StringBuilder path = new StringBuilder();
		int segments = 1 + random.nextInt(3);
		for (int i = 0; i < segments; i++) {
			path.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
		}
		return path.toString();
	}

}
