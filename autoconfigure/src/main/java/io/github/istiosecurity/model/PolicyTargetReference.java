package io.github.istiosecurity.model;

/**
 * An element of {@code targetRefs} (or the legacy {@code targetRef}): a reference to a
 * Gateway API gateway, a Service or a ServiceEntry. Policies that use them never apply to
 * an ordinary workload (§1.3).
 *
 * @param group the API group ({@code ""} for the core group)
 * @param kind the kind
 * @param name the name
 * @param namespace the namespace (must be empty)
 */
public record PolicyTargetReference(String group, String kind, String name, String namespace) {
}
