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
 * The policy from the kit's real Nacos 3.0.3 server, through the real Nacos client and Spring
 * Cloud Alibaba: changes published over Nacos's HTTP API reach the policy in force.
 */
@ExtendWith(NacosServerExtension.class)
class RealNacosPolicyTests {

	private static final Duration ARRIVAL = Duration.ofSeconds(60);

	@Test
	void publishedChangeSwitchesThePolicyThroughARealConfigService(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("live-switch");
		nacos.publish(dataId, RealNacosApplication.GROUP, "algorithm: zstd\nlevel: 5\n");
		try (RealNacosApplication app = RealNacosApplication.listening(nacos, dataId)) {
			CompressionPolicyHolder holder = app.holder();
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);
			assertThat(holder.policy().level()).isEqualTo(5);
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);

			nacos.publish(dataId, RealNacosApplication.GROUP, "algorithm: lz4\n");
			await().atMost(ARRIVAL).until(() -> holder.policy().algorithm() == Algorithm.LZ4);
			assertThat(holder.policy().level()).isZero();
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
		}
	}

}
