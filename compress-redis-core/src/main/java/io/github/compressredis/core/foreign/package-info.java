/**
 * Read-only support for the compressed values other Redis clients write (GLIDE, Lettuce's
 * {@code CompressionCodec}, bare zstd frames, Redisson's LZ4 and ZStd codecs), so that
 * existing data can be read, inspected and migrated. See {@code FORMAT.md}, "Foreign
 * formats".
 */
@NullMarked
package io.github.compressredis.core.foreign;

import org.jspecify.annotations.NullMarked;
