/**
 * The observer callback the statistics feed and the Redis memory estimate. Not part of
 * the public API, may change in any release.
 */
@NullMarked
package io.github.compressredis.core.internal.stats;

import org.jspecify.annotations.NullMarked;
