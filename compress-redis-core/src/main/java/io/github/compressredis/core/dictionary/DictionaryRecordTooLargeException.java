package io.github.compressredis.core.dictionary;

/**
 * A stored dictionary record is larger than a reader accepts; it was refused before it
 * was read.
 *
 * @author compress-redis contributors
 */
public class DictionaryRecordTooLargeException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what was refused, where, and the fix
	 */
	public DictionaryRecordTooLargeException(String message) {
		super(message);
	}

}
