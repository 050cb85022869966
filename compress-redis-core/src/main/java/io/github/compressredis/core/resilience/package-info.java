/**
 * What keeps writes and cache reads going when compression misbehaves: the
 * {@link io.github.compressredis.core.resilience.CompressionBreaker} that degrades slow
 * or failing compression to a faster level or to plain for a cool-down, and the
 * {@link io.github.compressredis.core.resilience.FailOpenCacheErrorHandler} that turns an
 * undecodable Spring Cache entry into a miss.
 */
@NullMarked
package io.github.compressredis.core.resilience;

import org.jspecify.annotations.NullMarked;
