/**
 * Policies from the Kubernetes API: informers over the {@code security.istio.io} objects
 * of the workload's and the root namespace, and the workload's identity from its pod.
 */
@NullMarked
package io.github.istiosecurity.internal.kubernetes;

import org.jspecify.annotations.NullMarked;
