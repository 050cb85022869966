/**
 * An application that uses only the compress-redis starter, run from its Spring AOT
 * output by the module's test.
 */
@NullMarked
package io.github.compressredis.aot;

import org.jspecify.annotations.NullMarked;
