package io.github.compressredis.core.dictionary;

import org.jspecify.annotations.Nullable;

/**
 * Where dictionaries live, shared by every instance of an application. A dictionary, once
 * saved under its id, never changes and is never deleted by compress-redis: values may
 * still use it. Ids are unique across targets, so any reader can decode any value from
 * its id alone.
 *
 * @author compress-redis contributors
 */
public interface DictionaryStore {

	/**
	 * Return the dictionary stored under an id, refusing a stored record larger than a
	 * limit without transferring more than the limit of it.
	 * @param id the id
	 * @param maxRecordLength the largest stored record (metadata line and dictionary)
	 * accepted
	 * @return the dictionary, or {@code null} if none is stored under that id
	 * @throws DictionaryRecordTooLargeException if the stored record is larger than the
	 * limit
	 * @throws RuntimeException if the store cannot be reached or the record is not a
	 * dictionary
	 */
	@Nullable Dictionary find(int id, int maxRecordLength);

	/**
	 * Allocate a new id (positive, increasing, at most {@link Dictionary#MAX_ID}). The
	 * store cannot always know which ids were used before (its sequence may have been
	 * reset), so callers save with {@link #save(Dictionary)}, which never replaces a
	 * stored dictionary, and allocate again when the id is taken.
	 * @return the id
	 * @throws IllegalStateException if the ids are exhausted
	 */
	int allocateId();

	/**
	 * Move the sequence so that the next {@link #allocateId()} returns at least
	 * {@code taken + step}. The default does nothing, so each further allocation moves on
	 * by one.
	 * @param taken an id that {@link #save(Dictionary)} found taken
	 * @param step how far past it to move at least (callers double it while ids stay
	 * taken)
	 */
	default void skipPast(int taken, int step) {
	}

	/**
	 * Save a dictionary under its id, only if that id holds nothing yet.
	 * @param dictionary the dictionary
	 * @return {@code false} if the id was already taken (the stored one is kept)
	 */
	boolean save(Dictionary dictionary);

	/**
	 * Return the id of the dictionary a target's writers should use.
	 * @param target the target
	 * @return the id, {@code 0} when the target has none yet
	 */
	int currentId(String target);

	/**
	 * Make a saved dictionary the one a target's writers use.
	 * @param target the target
	 * @param id the id of a saved dictionary
	 */
	void setCurrent(String target, int id);

	/**
	 * Describe where {@link #find(int, int)} looks for an id, for error messages.
	 * @param id the id
	 * @return for example the Redis key
	 */
	String location(int id);

}
