package io.github.compressredis.core.internal.format;

/**
 * The parsed header of a framed value.
 *
 * @param version the format version
 * @param codecId the codec identifier (see {@code FORMAT.md})
 * @param originalLength the declared length of the original bytes
 * @param dictionaryId the dictionary identifier, {@code 0} when the value uses none
 * @param checksumPresent whether the checksum flag is set: the check covers the original
 * bytes
 * @param checksum the stored check (unsigned 32 bits) when present, otherwise {@code 0}:
 * in version 1 the CRC-32C of the original bytes, in version 2 see
 * {@link WireFormat#check}
 * @param payloadOffset the index of the first payload byte in the value
 * @author compress-redis contributors
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

	/**
	 * Return whether the value carries a check of its header (format version 2 always
	 * does).
	 * @return whether {@link #checksum()} covers the header bytes before it
	 */
	public boolean hasHeaderCheck() {
		return this.version == WireFormat.VERSION_2;
	}

	/**
	 * Return the index of the four-byte check field, when the value has one.
	 * @return the index
	 */
	public int checkOffset() {
		return this.payloadOffset - 4;
	}

}
