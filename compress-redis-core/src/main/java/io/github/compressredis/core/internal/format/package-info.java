/**
 * The wire format: header parsing and writing, and the exception for a malformed header.
 * Not part of the public API, may change in any release.
 */
@NullMarked
package io.github.compressredis.core.internal.format;

import org.jspecify.annotations.NullMarked;
