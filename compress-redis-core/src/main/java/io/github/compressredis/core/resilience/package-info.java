/**
 * What keeps writes going when compression misbehaves: the
 * {@link io.github.compressredis.core.resilience.CompressionBreaker} that degrades slow
 * or failing compression to a faster level or to plain for a cool-down.
 */
@NullMarked
package io.github.compressredis.core.resilience;

import org.jspecify.annotations.NullMarked;
