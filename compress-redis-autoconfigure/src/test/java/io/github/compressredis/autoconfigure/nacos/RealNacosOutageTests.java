package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.testsupport.nacos.NacosServer;
import io.github.compressredis.testsupport.nacos.NacosServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kit's real Nacos server goes away and comes back: a restart while the application
 * runs, and an application that starts while Nacos is down, with and without the Nacos
 * client's local snapshot of the data ID.
 */
@ExtendWith(NacosServerExtension.class)
class RealNacosOutageTests {

	/** The client reconnects with a growing back-off after a restart. */
	private static final Duration RECONNECT = Duration.ofSeconds(120);

	/**
	 * One outage for both cases, as a server start is the slow part: an application runs
	 * across it, two start during it (one with the client's snapshot of its data ID, one
	 * without), and changes published after the restart reach all of them.
	 */
	@Test
	void applicationsRunningOrStartedDuringAnOutageFollowNacosOnceItIsBack(NacosServer nacos) {
		String running = NacosServerExtension.uniqueDataId("restart");
		String snapshot = NacosServerExtension.uniqueDataId("snapshot");
		String neverRead = NacosServerExtension.uniqueDataId("no-snapshot");
		nacos.publish(running, RealNacosApplication.GROUP, "compress:\n  redis:\n    level: 5\n");
		nacos.publish(snapshot, RealNacosApplication.GROUP, "algorithm: lz4\n");
		nacos.publish(neverRead, RealNacosApplication.GROUP, "algorithm: gzip\n");
		// an application that reached Nacos leaves the client's snapshot of the data ID
		// behind
		try (RealNacosApplication app = RealNacosApplication.listening(nacos, snapshot)) {
			assertThat(app.holder().policy().algorithm()).isEqualTo(Algorithm.LZ4);
		}
		try (RealNacosApplication across = RealNacosApplication.importing(nacos, running, "optional:nacos:")) {
			assertThat(across.holder().policy().level()).isEqualTo(5);
			nacos.stop();
			RealNacosApplication fromSnapshot;
			RealNacosApplication withoutSnapshot;
			try {
				fromSnapshot = RealNacosApplication.listening(nacos, snapshot, "--compress.redis.nacos.timeout=2s");
				withoutSnapshot = RealNacosApplication.listening(nacos, neverRead, "--compress.redis.nacos.timeout=2s");
			}
			finally {
				nacos.start();
			}
			try (fromSnapshot; withoutSnapshot) {
				// as they started, while Nacos was down (the server may have delivered
				// changes since)
				assertThat(fromSnapshot.holder().history().get(1).policy().algorithm()).isEqualTo(Algorithm.LZ4);
				assertThat(fromSnapshot.holder().history().get(1).source()).isEqualTo(PolicySource.NACOS_SNAPSHOT);
				assertThat(withoutSnapshot.holder().history().get(0).policy().algorithm()).isEqualTo(Algorithm.ZSTD);
				assertThat(withoutSnapshot.holder().history().get(0).source()).isEqualTo(PolicySource.PROPERTIES);
				assertThat(withoutSnapshot.holder().history())
					.noneMatch((version) -> version.source() == PolicySource.NACOS_SNAPSHOT);

				nacos.publish(running, RealNacosApplication.GROUP, "compress:\n  redis:\n    algorithm: lz4\n");
				nacos.publish(snapshot, RealNacosApplication.GROUP, "algorithm: deflate\n");
				await().atMost(RECONNECT).until(() -> across.holder().policy().algorithm() == Algorithm.LZ4);
				assertThat(across.holder().policy().level()).isZero();
				assertThat(across.holder().current().source()).isEqualTo(PolicySource.NACOS);
				await().atMost(RECONNECT).until(() -> fromSnapshot.holder().policy().algorithm() == Algorithm.DEFLATE);
				assertThat(fromSnapshot.holder().current().source()).isEqualTo(PolicySource.NACOS);
				// the server's content differs from what the application started on: it
				// arrives
				await().atMost(RECONNECT).until(() -> withoutSnapshot.holder().policy().algorithm() == Algorithm.GZIP);
			}
		}
	}

}
