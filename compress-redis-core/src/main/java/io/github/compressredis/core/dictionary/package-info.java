/**
 * Trained zstd dictionaries: the dictionaries themselves, where they are stored (Redis,
 * shared by every instance of the application), the per-target sampler and trainer, and
 * the cache readers use.
 */
@NullMarked
package io.github.compressredis.core.dictionary;

import org.jspecify.annotations.NullMarked;
