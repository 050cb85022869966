/**
 * The breaker's call protocol (admission) and its time sources. Not part of the public
 * API, may change in any release.
 */
@NullMarked
package io.github.compressredis.core.internal.resilience;

import org.jspecify.annotations.NullMarked;
