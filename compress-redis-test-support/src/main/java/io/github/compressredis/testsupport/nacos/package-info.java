/**
 * A real Nacos server for the tests: the kit of {@code ../shared/nacos}, started once per
 * test run.
 */
@NullMarked
package io.github.compressredis.testsupport.nacos;

import org.jspecify.annotations.NullMarked;
