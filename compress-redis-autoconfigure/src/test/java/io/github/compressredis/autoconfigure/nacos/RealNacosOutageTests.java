package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.testsupport.nacos.NacosServer;
import io.github.compressredis.testsupport.nacos.NacosServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kit's real Nacos server goes away and comes back: a restart while the application runs,
 * and an application that starts while Nacos is down, with and without the Nacos client's local
 * snapshot of the data ID.
 */
@ExtendWith(NacosServerExtension.class)
class RealNacosOutageTests {

	/** The client reconnects with a growing back-off after a restart. */
	private static final Duration RECONNECT = Duration.ofSeconds(120);

	@Test
	void changePublishedAfterANacosRestartArrives(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("restart");
		nacos.publish(dataId, RealNacosApplication.GROUP, "compress:\n  redis:\n    level: 5\n");
		try (RealNacosApplication app = RealNacosApplication.importing(nacos, dataId, "optional:nacos:")) {
			CompressionPolicyHolder holder = app.holder();
			assertThat(holder.policy().level()).isEqualTo(5);
			nacos.stop();
			nacos.start();
			nacos.publish(dataId, RealNacosApplication.GROUP, "compress:\n  redis:\n    algorithm: lz4\n");
			await().atMost(RECONNECT).until(() -> holder.policy().algorithm() == Algorithm.LZ4);
			assertThat(holder.policy().level()).isZero();
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
		}
	}

	@Test
	void startupWithNacosDownTakesTheSnapshotLabelledAsSuch(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("snapshot");
		String neverRead = NacosServerExtension.uniqueDataId("no-snapshot");
		nacos.publish(dataId, RealNacosApplication.GROUP, "algorithm: lz4\n");
		nacos.publish(neverRead, RealNacosApplication.GROUP, "algorithm: gzip\n");
		// an application that reached Nacos leaves the client's snapshot of the data ID behind
		try (RealNacosApplication app = RealNacosApplication.listening(nacos, dataId)) {
			assertThat(app.holder().policy().algorithm()).isEqualTo(Algorithm.LZ4);
		}
		nacos.stop();
		try {
			try (RealNacosApplication app = RealNacosApplication.listening(nacos, dataId,
					"--compress.redis.nacos.timeout=2s")) {
				CompressionPolicyHolder holder = app.holder();
				assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.LZ4);
				assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS_SNAPSHOT);
			}
			try (RealNacosApplication app = RealNacosApplication.listening(nacos, neverRead,
					"--compress.redis.nacos.timeout=2s")) {
				CompressionPolicyHolder holder = app.holder();
				assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);
				assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
			}
		}
		finally {
			nacos.start();
		}
	}

}
