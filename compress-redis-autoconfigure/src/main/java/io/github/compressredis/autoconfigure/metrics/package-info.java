/**
 * Micrometer meters for compress-redis, under {@code redis.compression.*}.
 */
@NullMarked
package io.github.compressredis.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
