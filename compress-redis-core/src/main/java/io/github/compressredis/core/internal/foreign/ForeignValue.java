package io.github.compressredis.core.internal.foreign;

import io.github.compressredis.core.foreign.ForeignFormat;

/**
 * A value read from a foreign format.
 *
 * @param format the format it was written in
 * @param backend the compression inside it ({@code zstd}, {@code lz4}, {@code gzip},
 * {@code deflate})
 * @param original the bytes inside the format's compression layer: what the application's
 * serializer wrote
 * @author compress-redis contributors
 */
public record ForeignValue(ForeignFormat format, String backend, byte[] original) {

}
