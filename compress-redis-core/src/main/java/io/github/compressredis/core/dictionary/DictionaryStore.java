package io.github.compressredis.core.dictionary;

import org.jspecify.annotations.Nullable;

/**
 * Where dictionaries live, shared by every instance of an application. A dictionary, once saved
 * under its id, never changes and is never deleted by compress-redis: values may still use it.
 * Ids are unique across targets, so any reader can decode any value from its id alone.
 */
public interface DictionaryStore {

	/**
	 * Return the dictionary stored under an id.
	 * @param id the id
	 * @return the dictionary, or {@code null} if none is stored under that id
	 * @throws RuntimeException if the store cannot be reached
	 */
	@Nullable Dictionary find(int id);

	/**
	 * Allocate a new, never used id (positive, increasing).
	 * @return the id
	 */
	int allocateId();

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
	 * Describe where {@link #find(int)} looks for an id, for error messages.
	 * @param id the id
	 * @return for example the Redis key
	 */
	String location(int id);

}
