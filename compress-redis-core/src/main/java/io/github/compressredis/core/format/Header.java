package io.github.compressredis.core.format;

/**
 * The parsed header of a framed value.
 *
 * @param version the format version
 * @param codecId the codec identifier (see {@code FORMAT.md})
 * @param originalLength the declared length of the original bytes
 * @param dictionaryId the dictionary identifier, {@code 0} when the value uses none
 * @param checksumPresent whether the value carries a CRC32C of the original bytes
 * @param checksum the stored CRC32C (unsigned 32 bits) when present, otherwise {@code 0}
 * @param payloadOffset the index of the first payload byte in the value
 */
public record Header(int version, int codecId, int originalLength, int dictionaryId, boolean checksumPresent,
		int checksum, int payloadOffset) {

	/**
	 * Return the number of payload bytes in a value of the given total length.
	 * @param valueLength the length of the whole stored value
	 * @return the payload length
	 */
	public int payloadLength(int valueLength) {
		return valueLength - this.payloadOffset;
	}

}
