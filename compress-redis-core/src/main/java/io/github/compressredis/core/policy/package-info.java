/**
 * The compression policy, an immutable value, and the holder through which it is swapped
 * at runtime.
 */
@NullMarked
package io.github.compressredis.core.policy;

import org.jspecify.annotations.NullMarked;
