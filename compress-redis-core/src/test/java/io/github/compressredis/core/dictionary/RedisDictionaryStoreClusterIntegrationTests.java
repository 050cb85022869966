package io.github.compressredis.core.dictionary;

import java.time.Instant;

import io.github.compressredis.embedded.RedisClusterProcess;
import io.github.compressredis.testsupport.corpus.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store's bounded read and its sequence raise on a real 3-master cluster: each is a
 * single-key command (GETRANGE, a one-key script), so it works whatever slot the keys
 * hash to.
 */
@TestInstance(Lifecycle.PER_CLASS)
class RedisDictionaryStoreClusterIntegrationTests {

	private RedisClusterProcess cluster;

	private LettuceConnectionFactory connectionFactory;

	@BeforeAll
	void startCluster() {
		this.cluster = RedisClusterProcess.start(3);
		this.connectionFactory = new LettuceConnectionFactory(new RedisClusterConfiguration(this.cluster.nodes()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
	}

	@AfterAll
	void stopCluster() {
		this.connectionFactory.destroy();
		this.cluster.close();
	}

	@Test
	void boundedReadsAndTheSequenceRaiseWorkOnACluster() {
		RedisDictionaryStore store = new RedisDictionaryStore(this.connectionFactory, "test:cluster:");
		int limit = Dictionary.maxRecordLength(1024);
		for (int i = 0; i < 6; i++) {
			int id = store.allocateId();
			byte[] bytes = Corpus.ofSize(Corpus.EMOJI, (i % 2 == 0) ? 1024 : 64 * 1024);
			assertThat(store.save(new Dictionary(id, "cache:emoji", bytes, Instant.EPOCH, 20, 0.3, 0.5))).isTrue();
			if (i % 2 == 0) {
				assertThat(store.find(id, limit).bytes()).isEqualTo(bytes);
			}
			else {
				assertThatExceptionOfType(DictionaryRecordTooLargeException.class)
					.isThrownBy(() -> store.find(id, limit));
			}
		}
		assertThat(store.find(1000, limit)).isNull();
		store.skipPast(6, 10);
		assertThat(store.allocateId()).isEqualTo(16);
		// never lowered
		store.skipPast(3, 1);
		assertThat(store.allocateId()).isEqualTo(17);
	}

}
