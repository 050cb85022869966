/**
 * A compressing JSON serializer that streams: Jackson writes into the codec and reads
 * from it, so a big value never exists as one array of its full size.
 */
@NullMarked
package io.github.compressredis.core.json;

import org.jspecify.annotations.NullMarked;
