/**
 * Dictionary training and the in-memory dictionary store. Not part of the public API, may
 * change in any release.
 */
@NullMarked
package io.github.compressredis.core.internal.dictionary;

import org.jspecify.annotations.NullMarked;
