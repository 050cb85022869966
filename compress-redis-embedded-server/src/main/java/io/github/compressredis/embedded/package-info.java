/**
 * Starts real {@code redis-server} processes (standalone or cluster) on free loopback
 * ports, and talks to them through Lettuce; used by the tests, the benchmarks harness and
 * the sample app.
 */
@NullMarked
package io.github.compressredis.embedded;

import org.jspecify.annotations.NullMarked;
