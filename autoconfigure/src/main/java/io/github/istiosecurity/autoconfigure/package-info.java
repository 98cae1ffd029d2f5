/**
 * Spring Boot auto-configuration: properties, the policy runtime, the servlet filter
 * chain, failure analysis.
 */
@NullMarked
package io.github.istiosecurity.autoconfigure;

import org.jspecify.annotations.NullMarked;
