/**
 * A product catalog whose Redis values are compressed by compress-redis.
 */
@NullMarked
package io.github.compressredis.sample;

import org.jspecify.annotations.NullMarked;
