/**
 * Starts real {@code redis-server} processes (standalone, cluster, or a master and
 * replica watched by Sentinels) on free loopback ports, from the embedded Redis 6.2 or an
 * installed {@code redis-server}, and talks to them through Lettuce; used by the tests,
 * the benchmarks harness and the sample app.
 */
@NullMarked
package io.github.compressredis.embedded;

import org.jspecify.annotations.NullMarked;
