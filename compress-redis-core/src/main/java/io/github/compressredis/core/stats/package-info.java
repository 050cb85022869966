/**
 * Lock-free counters of what the serializers do, read by the metrics and the actuator
 * endpoint.
 */
@NullMarked
package io.github.compressredis.core.stats;

import org.jspecify.annotations.NullMarked;
