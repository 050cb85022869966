/**
 * The shared corpus of real values ({@code ../shared/corpus}), read in place by the tests
 * and the benchmarks.
 */
@NullMarked
package io.github.compressredis.testsupport.corpus;

import org.jspecify.annotations.NullMarked;
