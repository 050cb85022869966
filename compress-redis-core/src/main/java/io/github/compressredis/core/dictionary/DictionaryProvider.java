package io.github.compressredis.core.dictionary;

import io.github.compressredis.core.internal.codec.ZstdDictionaryCodec;
import io.github.compressredis.core.internal.format.WireFormatException;

/**
 * Finds the dictionary a value names, for readers.
 *
 * @author compress-redis contributors
 */
@FunctionalInterface
public interface DictionaryProvider {

	/**
	 * Return the prepared dictionary with an id.
	 * @param id the id from a value's header
	 * @return the codec for that dictionary
	 * @throws WireFormatException with fault {@code missing-dictionary} if it cannot be
	 * found, saying where it was looked up and what to do
	 */
	ZstdDictionaryCodec codec(int id);

}
