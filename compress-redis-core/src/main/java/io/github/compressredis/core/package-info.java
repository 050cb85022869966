/**
 * Transparent compression of Redis values:
 * {@link io.github.compressredis.core.CompressingRedisSerializer} wraps any
 * {@code RedisSerializer} and frames what it stores in the versioned wire format
 * described in {@code FORMAT.md}.
 */
@NullMarked
package io.github.compressredis.core;

import org.jspecify.annotations.NullMarked;
