package io.github.istiosecurity.check;

/**
 * Whether one rule of a policy matched a request, and why.
 *
 * @param index the rule's index in {@code spec.rules}
 * @param matched whether it matched
 * @param why what matched, or which entry failed on which field (entries separated by
 * {@code ;})
 */
public record RuleEvaluation(int index, boolean matched, String why) {
}
