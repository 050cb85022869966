/**
 * Auto-configuration that compresses the values of RedisTemplate, Spring Cache, the
 * reactive template and Spring Session, driven by {@code compress.redis.*}.
 */
@NullMarked
package io.github.compressredis.autoconfigure;

import org.jspecify.annotations.NullMarked;
