/**
 * Immutable records of Istio's three security kinds, exactly as the YAML spells them; no
 * Spring, no YAML.
 */
@NullMarked
package io.github.istiosecurity.model;

import org.jspecify.annotations.NullMarked;
