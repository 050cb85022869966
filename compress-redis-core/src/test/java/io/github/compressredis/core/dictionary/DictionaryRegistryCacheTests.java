package io.github.compressredis.core.dictionary;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.compressredis.core.internal.codec.ZstdDictionaryCodec;
import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's cache of prepared dictionaries is bounded: the least recently used go,
 * never the one a target writes with, and an evicted one is loaded again when a value
 * needs it.
 */
class DictionaryRegistryCacheTests {

	private final AtomicLong clock = new AtomicLong();

	private final InMemoryDictionaryStore store = new InMemoryDictionaryStore();

	@Test
	void theCacheKeepsAtMostItsBoundEvictingTheLeastRecentlyUsedButNeverACurrentDictionary() {
		int count = DictionaryRegistry.MAX_LOADED + 20;
		for (int id = 1; id <= count; id++) {
			this.store.save(new Dictionary(this.store.allocateId(), "cache:a", bytes(id), Instant.EPOCH, 20, 0.3, 0.5));
		}
		this.store.setCurrent("cache:a", 1);
		try (DictionaryRegistry registry = new DictionaryRegistry(this.store, DictionarySettings.defaults(),
				this.clock::get)) {
			DictionaryTarget target = registry.target("cache:a");
			registry.refresh();
			assertThat(target.codec().id()).isEqualTo(1);
			ZstdDictionaryCodec held = null;
			for (int id = 2; id <= count; id++) {
				// each read a second after the last, so that the order of use is what
				// counts
				this.clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
				ZstdDictionaryCodec codec = registry.codec(id);
				assertThat(codec.id()).isEqualTo(id);
				held = (id == 2) ? codec : held;
				assertThat(registry.loadedCount()).isLessThanOrEqualTo(DictionaryRegistry.MAX_LOADED);
			}
			assertThat(registry.loadedCount()).isEqualTo(DictionaryRegistry.MAX_LOADED);
			// the writers' dictionary stayed although it was used first
			assertThat(registry.loadedDictionaries()).extracting(Dictionary::id).contains(1);
			assertThat(registry.loadedDictionaries()).extracting(Dictionary::id).doesNotContain(2);
			// a reader still holding an evicted codec can finish with it: eviction does
			// not close it
			byte[] value = bytes(2);
			byte[] compressed = held.compress(value, 3, 0, Integer.MAX_VALUE);
			byte[] decoded = new byte[value.length];
			held.decompress(compressed, 0, compressed.length, decoded);
			assertThat(decoded).isEqualTo(value);
			// an evicted one reads again, loaded anew
			long lookups = registry.lookups();
			ZstdDictionaryCodec reloaded = registry.codec(2);
			assertThat(reloaded.size()).isEqualTo(bytes(2).length);
			assertThat(registry.lookups()).isEqualTo(lookups + 1);
		}
	}

	private static byte[] bytes(int id) {
		return ("{\"id\":" + id + ",\"name\":\"dictionary\",\"tags\":[\"a\",\"b\"]}").repeat(20)
			.getBytes(StandardCharsets.UTF_8);
	}

}
