package io.github.compressredis.core.dictionary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.compressredis.core.ValueCompressor;
import io.github.compressredis.core.codec.CodecRegistry;
import io.github.compressredis.core.internal.dictionary.InMemoryDictionaryStore;
import io.github.compressredis.core.internal.format.WireFormat;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.stats.CompressionStats;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers on several threads while the background thread trains and rotates dictionaries
 * as often as it can: every value written, with whichever dictionary, reads back exactly.
 */
class DictionaryRotationUnderLoadTests {

	@Test
	void everyValueWrittenWhileDictionariesRotateReadsBack() throws Exception {
		// retrain at every check (no drift margin, no improvement needed), a check every
		// 200 samples
		DictionarySettings settings = new DictionarySettings(1, 200, 16 * 1024, 4 * 1024, 0, 32, 0, 0, Duration.ZERO,
				Duration.ofMillis(50));
		List<byte[]> values = Corpus.values(Corpus.EMOJI);
		ConcurrentLinkedQueue<byte[][]> written = new ConcurrentLinkedQueue<>();
		Set<Integer> used = ConcurrentHashMap.newKeySet();
		try (CodecRegistry codecs = new CodecRegistry();
				DictionaryRegistry registry = new DictionaryRegistry(new InMemoryDictionaryStore(), settings)) {
			ValueCompressor compressor = new ValueCompressor(new CompressionPolicyHolder(CompressionPolicy.defaults()),
					codecs, new CompressionStats(), null, null, registry.target("cache:emoji"));
			ExecutorService pool = Executors.newFixedThreadPool(4);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (int t = 0; t < 4; t++) {
					int offset = t;
					futures.add(pool.submit(() -> {
						// until a few dictionaries were published (a retrain happens when
						// a check finds any drift)
						long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
						for (int i = 0; i < 3000 || (registry.trainings(TrainingOutcome.PUBLISHED) < 3
								&& System.nanoTime() < deadline); i++) {
							byte[] value = values.get((i * 4 + offset) % values.size());
							byte[] stored = compressor.compress(value);
							assertThat(compressor.decompress(stored)).isEqualTo(value);
							if (i < 5000) {
								written.add(new byte[][] { value, stored });
							}
							if (WireFormat.isFramed(stored)) {
								used.add(WireFormat.parse(stored).dictionaryId());
							}
						}
						return null;
					}));
				}
				for (Future<?> future : futures) {
					future.get();
				}
			}
			finally {
				pool.shutdownNow();
			}
			used.remove(0);
			assertThat(used).as("dictionaries used").hasSizeGreaterThan(1);
			for (byte[][] pair : written) {
				assertThat(compressor.decompress(pair[1])).isEqualTo(pair[0]);
			}
		}
	}

}
