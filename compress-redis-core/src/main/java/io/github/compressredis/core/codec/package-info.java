/**
 * The algorithms (zstd, lz4, gzip, deflate, snappy and stored) and the registry that owns
 * their pooled native contexts.
 */
@NullMarked
package io.github.compressredis.core.codec;

import org.jspecify.annotations.NullMarked;
