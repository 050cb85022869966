/**
 * JMH benchmarks and measurement harnesses behind {@code BENCHMARKS.md}: codec
 * throughput, stored size and Redis memory, the circuit breaker under load, and the
 * comparison with other clients. Not a library: nothing here is published.
 */
package io.github.compressredis.benchmarks;
