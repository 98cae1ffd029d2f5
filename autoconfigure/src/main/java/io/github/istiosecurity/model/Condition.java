package io.github.istiosecurity.model;

import java.util.List;

/**
 * A {@code when} condition: the attribute named by {@code key} must match one of
 * {@code values} (if any) and none of {@code notValues} (§3.9).
 *
 * @param key the attribute, e.g. {@code request.headers[x-env]} or
 * {@code request.auth.claims[groups]}
 * @param values values of which one must match; empty when absent
 * @param notValues values of which none may match; empty when absent
 */
public record Condition(String key, List<String> values, List<String> notValues) {

	public Condition {
		values = List.copyOf(values);
		notValues = List.copyOf(notValues);
	}

}
