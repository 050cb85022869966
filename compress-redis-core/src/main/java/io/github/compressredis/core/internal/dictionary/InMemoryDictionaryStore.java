package io.github.compressredis.core.internal.dictionary;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.compressredis.core.dictionary.Dictionary;
import io.github.compressredis.core.dictionary.DictionaryRecordTooLargeException;
import io.github.compressredis.core.dictionary.DictionaryStore;
import org.jspecify.annotations.Nullable;

/**
 * A store in this JVM's memory: for tests and single-process tools only, since values
 * written with its dictionaries cannot be read by another process or after a restart.
 *
 * @author compress-redis contributors
 */
public final class InMemoryDictionaryStore implements DictionaryStore {

	private final Map<Integer, Dictionary> dictionaries = new ConcurrentHashMap<>();

	private final Map<String, Integer> current = new ConcurrentHashMap<>();

	private final AtomicInteger sequence = new AtomicInteger();

	@Override
	public @Nullable Dictionary find(int id, int maxRecordLength) {
		Dictionary dictionary = this.dictionaries.get(id);
		if (dictionary != null && dictionary.encode().length > maxRecordLength) {
			throw new DictionaryRecordTooLargeException(
					"dictionary " + id + " is larger than the " + maxRecordLength + " bytes a reader accepts");
		}
		return dictionary;
	}

	@Override
	public int allocateId() {
		return this.sequence.incrementAndGet();
	}

	@Override
	public void skipPast(int taken, int step) {
		int target = (int) Math.min((long) taken + Math.max(step, 1) - 1, Dictionary.MAX_ID);
		this.sequence.accumulateAndGet(target, Math::max);
	}

	@Override
	public boolean save(Dictionary dictionary) {
		return this.dictionaries.putIfAbsent(dictionary.id(), dictionary) == null;
	}

	@Override
	public int currentId(String target) {
		return this.current.getOrDefault(target, 0);
	}

	@Override
	public void setCurrent(String target, int id) {
		this.current.put(target, id);
	}

	@Override
	public String location(int id) {
		return "this JVM's in-memory dictionary store";
	}

}
