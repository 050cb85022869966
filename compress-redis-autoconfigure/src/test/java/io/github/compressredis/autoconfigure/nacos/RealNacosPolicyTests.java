package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.testsupport.nacos.NacosServer;
import io.github.compressredis.testsupport.nacos.NacosServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.config.ConfigDataResourceNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The policy from the kit's real Nacos 3.0.3 server, through the real Nacos client and
 * Spring Cloud Alibaba: changes published over Nacos's HTTP API reach the policy in
 * force.
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

	@Test
	void importedAndFollowedDataIdAppliesEachChangeOnce(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("import-and-listen");
		// SCA registers its refresh listener only for a data ID that had content at
		// startup
		nacos.publish(dataId, RealNacosApplication.GROUP, "# compress-redis policy\n");
		try (RealNacosApplication app = RealNacosApplication.importing(nacos, dataId, "optional:nacos:")) {
			CompressionPolicyHolder holder = app.holder();
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);
			assertThat(holder.policy().level()).isEqualTo(3);
			long before = holder.current().version();
			int refreshes = app.refreshes();

			nacos.publish(dataId, RealNacosApplication.GROUP, "compress:\n  redis:\n    algorithm: lz4\n");
			// both paths have run: the listener's (lz4) and Spring Cloud's refresh
			await().atMost(ARRIVAL)
				.until(() -> holder.policy().algorithm() == Algorithm.LZ4 && app.refreshes() > refreshes);
			assertThat(holder.policy().level()).isZero();
			assertThat(holder.current().version()).isEqualTo(before + 1);
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
			assertThat(holder.refusedCount()).isZero();
		}
	}

	@Test
	void validChangeRightAfterARefusedOneApplies(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("refused-then-valid");
		// SCA registers its refresh listener only for a data ID that had content at
		// startup
		nacos.publish(dataId, RealNacosApplication.GROUP, "# compress-redis policy\n");
		try (RealNacosApplication app = RealNacosApplication.importing(nacos, dataId, "optional:nacos:")) {
			CompressionPolicyHolder holder = app.holder();
			int refreshes = app.refreshes();
			nacos.publish(dataId, RealNacosApplication.GROUP, "compress.redis.algorithm: brotli\n");
			await().atMost(ARRIVAL).until(() -> holder.refusedCount() > 0 && app.refreshes() > refreshes);
			assertThat(holder.refusedCount()).as("refusals of one change").isOne();
			assertThat(holder.lastRefused().reason()).contains("brotli");
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);

			nacos.publish(dataId, RealNacosApplication.GROUP, "compress.redis.algorithm: lz4\n");
			await().atMost(ARRIVAL).until(() -> holder.policy().algorithm() == Algorithm.LZ4);
			assertThat(holder.policy().level()).isZero();
			assertThat(holder.refusedCount()).isOne();
		}
	}

	@Test
	void invalidPolicyInNacosAtStartupLeavesTheApplicationPolicyAndShowsTheRefusal(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("invalid-at-startup");
		nacos.publish(dataId, RealNacosApplication.GROUP, "compress:\n  redis:\n    level: 99\n");
		try (RealNacosApplication app = RealNacosApplication.importing(nacos, dataId, "optional:nacos:")) {
			CompressionPolicyHolder holder = app.holder();
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);
			assertThat(holder.policy().level()).isEqualTo(3);
			assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
			assertThat(holder.refusedCount()).isOne();
			assertThat(holder.lastRefused().reason()).contains("'level' 99");

			nacos.publish(dataId, RealNacosApplication.GROUP, "compress:\n  redis:\n    level: 7\n");
			await().atMost(ARRIVAL).until(() -> holder.policy().level() == 7);
		}
	}

	@Test
	void newAlgorithmFromNacosAtStartupTakesItsDefaultLevelNotTheApplicationsLevel(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("lz4-at-startup");
		nacos.publish(dataId, RealNacosApplication.GROUP, "compress:\n  redis:\n    algorithm: lz4\n");
		try (RealNacosApplication app = RealNacosApplication.importing(nacos, dataId, "optional:nacos:")) {
			CompressionPolicyHolder holder = app.holder();
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.LZ4);
			assertThat(holder.policy().level()).isZero();
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
			assertThat(holder.history()).hasSize(2);
			assertThat(holder.history().get(0).policy().algorithm()).isEqualTo(Algorithm.ZSTD);
		}
	}

	@Test
	void unparseableContentIsRefusedByTheListenerAndTheApplicationStarts(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("unparseable-listener-only");
		nacos.publish(dataId, RealNacosApplication.GROUP, "compress: [redis\n");
		try (RealNacosApplication app = RealNacosApplication.listening(nacos, dataId)) {
			CompressionPolicyHolder holder = app.holder();
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);
			assertThat(holder.refusedCount()).isOne();
			assertThat(holder.lastRefused().reason()).contains("does not parse as YAML");
		}
	}

	/**
	 * Not a timing assertion: prints the time from a publish over HTTP to the policy in
	 * force in the application, over ten publishes, for the README.
	 */
	@Test
	void tenPublishesEachReachThePolicy(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("switch-latency");
		nacos.publish(dataId, RealNacosApplication.GROUP, "# compress-redis policy\n");
		try (RealNacosApplication app = RealNacosApplication.importing(nacos, dataId, "optional:nacos:")) {
			CompressionPolicyHolder holder = app.holder();
			List<Long> micros = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				int level = 4 + i;
				long published = System.nanoTime();
				nacos.publish(dataId, RealNacosApplication.GROUP, "compress:\n  redis:\n    level: " + level + "\n");
				await().atMost(ARRIVAL)
					.pollInterval(Duration.ofMillis(1))
					.until(() -> holder.policy().level() == level);
				micros.add((System.nanoTime() - published) / 1_000);
			}
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
			List<Long> sorted = micros.stream().sorted().toList();
			System.out.printf(
					"Nacos switch latency (publish over HTTP -> policy in force), 10 publishes: p50 %.1f ms, "
							+ "p99 (max of 10) %.1f ms, all %s us%n",
					sorted.get(4) / 1000.0, sorted.get(9) / 1000.0, micros);
		}
	}

	@Test
	void unparseableContentImportedWithoutOptionalStopsTheApplicationBeforeThisStarterRuns(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("unparseable-import");
		nacos.publish(dataId, RealNacosApplication.GROUP, "compress: [redis\n");
		// Spring Cloud Alibaba's loader turns the parse failure into "resource not found"
		assertThatExceptionOfType(ConfigDataResourceNotFoundException.class)
			.isThrownBy(() -> RealNacosApplication.importing(nacos, dataId, "nacos:").close());
	}

	@Test
	void unparseableContentImportedWithOptionalIsRefusedByTheListenerAndTheApplicationStarts(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("unparseable-optional-import");
		nacos.publish(dataId, RealNacosApplication.GROUP, "compress: [redis\n");
		try (RealNacosApplication app = RealNacosApplication.importing(nacos, dataId, "optional:nacos:")) {
			CompressionPolicyHolder holder = app.holder();
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);
			assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
			assertThat(holder.refusedCount()).isOne();
			assertThat(holder.lastRefused().reason()).contains("does not parse as YAML");
		}
	}

	@Test
	void quickPublishesNeverGoBackToAnOlderContent(NacosServer nacos) {
		String dataId = NacosServerExtension.uniqueDataId("order");
		nacos.publish(dataId, RealNacosApplication.GROUP, "level: 1\n");
		try (RealNacosApplication app = RealNacosApplication.listening(nacos, dataId)) {
			CompressionPolicyHolder holder = app.holder();
			List<Integer> applied = new CopyOnWriteArrayList<>();
			holder.addListener((version) -> applied.add(version.policy().level()));
			for (int level = 2; level <= 20; level++) {
				nacos.publish(dataId, RealNacosApplication.GROUP, "level: " + level + "\n");
			}
			await().atMost(ARRIVAL).until(() -> holder.policy().level() == 20);
			// Nacos may coalesce quick publishes, so levels may be skipped, never
			// repeated or reversed
			assertThat(applied).isSorted().doesNotHaveDuplicates().endsWith(20);
		}
	}

}
