/**
 * Decisions for hypothetical requests, with their explanation: what the actuator
 * endpoint's {@code check} and the policy-test support use. A check runs the same steps
 * as a real request (path normalization, CUSTOM, JWT, AUDIT/DENY/ALLOW) on the policies
 * in force, and logs nothing.
 */
@NullMarked
package io.github.istiosecurity.check;

import org.jspecify.annotations.NullMarked;
