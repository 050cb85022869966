/**
 * The codec implementations, their pooled native contexts and the streaming helpers the
 * codec registry and the serializers use. Not part of the public API, may change in any
 * release.
 */
@NullMarked
package io.github.compressredis.core.internal.codec;

import org.jspecify.annotations.NullMarked;
