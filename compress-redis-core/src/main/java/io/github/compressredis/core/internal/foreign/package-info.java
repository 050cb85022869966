/**
 * The decoded form of a value written by another client. Not part of the public API, may
 * change in any release.
 */
@NullMarked
package io.github.compressredis.core.internal.foreign;

import org.jspecify.annotations.NullMarked;
