package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;
import java.util.function.Supplier;

import com.alibaba.cloud.nacos.NacosConfigManager;
import com.alibaba.cloud.nacos.NacosConfigProperties;
import com.alibaba.cloud.nacos.diagnostics.analyzer.NacosConnectionFailureException;
import com.alibaba.nacos.api.config.ConfigService;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.policy.PolicyVersion;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy source at the Nacos {@link ConfigService} boundary, with an in-process
 * config service that keeps the client's contract: the initial read, changes, deletion,
 * Nacos unreachable at startup, and the listener's lifecycle.
 */
@ExtendWith(OutputCaptureExtension.class)
class NacosPolicySourceTests {

	private static final String DATA_ID = "compress-redis.yaml";

	private static final String GROUP = "DEFAULT_GROUP";

	@AutoClose
	private final InProcessConfigService nacos = new InProcessConfigService();

	private final ApplicationContextRunner contextRunner = this.nacos.contextRunner()
		.withPropertyValues("compress.redis.algorithm=zstd", "compress.redis.level=5", "compress.redis.min-size=10");

	@Test
	void initialContentIsInForceOnceTheContextHasStarted() throws Exception {
		this.nacos.publishConfig(DATA_ID, GROUP, "compress:\n  redis:\n    algorithm: lz4\n    level: 9\n");
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.LZ4);
			assertThat(holder.policy().level()).isEqualTo(9);
			assertThat(holder.policy().minSize()).isEqualTo(10);
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
			assertThat(holder.history()).extracting(PolicyVersion::source)
				.containsExactly(PolicySource.PROPERTIES, PolicySource.NACOS);
			assertThat(context.getBean(NacosPolicySource.class).isListening()).isTrue();
		});
	}

	@Test
	void missingDataIdLeavesTheApplicationPolicyAndListens() {
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.current().version()).isEqualTo(1);
			assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
			assertThat(this.nacos.listenerCount(DATA_ID, GROUP)).isOne();
		});
	}

	@Test
	void publishedChangeIsInForceWithinTwoSeconds() {
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			long published = System.nanoTime();
			this.nacos.publishConfig(DATA_ID, GROUP, "compress.redis.algorithm: gzip\ncompress.redis.level: 1\n");
			Duration took = PolicyWait.until("gzip in force", published,
					() -> holder.policy().algorithm() == Algorithm.GZIP);
			System.out.println("Nacos publish -> policy in force: " + took.toNanos() / 1000 + " us");
			assertThat(holder.policy().level()).isEqualTo(1);
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
			assertThat(holder.current().changes()).contains("algorithm zstd -> gzip", "level 5 -> 1");
		});
	}

	@Test
	void everyChangeStartsAgainFromTheApplicationPolicy() throws Exception {
		this.nacos.publishConfig(DATA_ID, GROUP, "algorithm: lz4\nmin-size: 100\n");
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.policy().minSize()).isEqualTo(100);
			long published = System.nanoTime();
			this.nacos.publishConfig(DATA_ID, GROUP, "algorithm: lz4\n");
			PolicyWait.until("min-size back to 10", published, () -> holder.policy().minSize() == 10);
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.LZ4);
		});
	}

	@Test
	void deletedContentBringsBackTheApplicationPolicy() throws Exception {
		this.nacos.publishConfig(DATA_ID, GROUP, "algorithm: lz4\n");
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			CompressionPolicy applicationPolicy = holder.history().get(0).policy();
			assertThat(holder.policy()).isNotEqualTo(applicationPolicy);
			long removed = System.nanoTime();
			this.nacos.removeConfig(DATA_ID, GROUP);
			PolicyWait.until("application policy in force", removed, () -> holder.policy().equals(applicationPolicy));
			assertThat(holder.current().version()).isEqualTo(3);
			assertThat(holder.refusedCount()).isZero();
		});
	}

	@Test
	void rolloutPercentFromTheContentAppliesToThatShareOfWrites() {
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			long published = System.nanoTime();
			this.nacos.publishConfig(DATA_ID, GROUP, "algorithm: lz4\nrollout-percent: 30\n");
			PolicyWait.until("lz4 rolled out", published, () -> holder.policy().algorithm() == Algorithm.LZ4);
			PolicyVersion version = holder.current();
			assertThat(version.policy().rolloutPercent()).isEqualTo(30);
			assertThat(version.baseline()).isNotNull();
			assertThat(version.baseline().algorithm()).isEqualTo(Algorithm.ZSTD);
			int draws = 20_000;
			int lz4 = 0;
			for (int i = 0; i < draws; i++) {
				if (holder.policyForWrite().algorithm() == Algorithm.LZ4) {
					lz4++;
				}
			}
			// 30% of 20,000 is 6,000 with a standard deviation of 65: 5 deviations either
			// side
			assertThat(lz4).isBetween(6_000 - 325, 6_000 + 325);
			long completed = System.nanoTime();
			this.nacos.publishConfig(DATA_ID, GROUP, "algorithm: lz4\nrollout-percent: 100\n");
			PolicyWait.until("lz4 fully rolled out", completed, () -> holder.current().baseline() == null);
			assertThat(holder.policyForWrite().algorithm()).isEqualTo(Algorithm.LZ4);
		});
	}

	@Test
	void unreachableNacosAtStartupLeavesTheApplicationPolicyAndWarns(CapturedOutput output) {
		this.nacos.setReachable(false);
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
			assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.ZSTD);
			assertThat(output).contains("WARN")
				.contains("Could not read the policy in Nacos dataId 'compress-redis.yaml', group 'DEFAULT_GROUP'")
				.contains("Client not connected")
				.contains(
						"the compress.redis policy of the application's configuration applies until Nacos delivers a change");
			// the listener was registered on its own, so the first change after Nacos is
			// back applies
			this.nacos.setReachable(true);
			long published = System.nanoTime();
			this.nacos.publishConfig(DATA_ID, GROUP, "algorithm: lz4\n");
			PolicyWait.until("lz4 in force", published, () -> holder.policy().algorithm() == Algorithm.LZ4);
		});
	}

	@Test
	void configServiceThatCannotBeCreatedLeavesTheApplicationPolicyAndWarns(CapturedOutput output) {
		configManagerRunner(() -> {
			throw new NacosConnectionFailureException("127.0.0.1:8848", "Connection refused");
		}).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CompressionPolicyHolder.class).current().source())
				.isEqualTo(PolicySource.PROPERTIES);
			assertThat(context.getBean(NacosPolicySource.class).isListening()).isFalse();
			assertThat(output).contains("WARN")
				.contains("Nacos is not reachable")
				.contains("Connection refused")
				.contains(
						"the policy in Nacos dataId 'compress-redis.yaml', group 'DEFAULT_GROUP' will not be followed");
		});
	}

	@Test
	void configServiceOfTheNacosConfigManagerIsFollowed() throws Exception {
		this.nacos.publishConfig("policy.properties", "CACHE", "compress.redis.algorithm=gzip\n");
		configManagerRunner(() -> this.nacos)
			.withPropertyValues("compress.redis.nacos.data-id=policy.properties", "compress.redis.nacos.group=CACHE")
			.run((context) -> {
				CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
				assertThat(holder.policy().algorithm()).isEqualTo(Algorithm.GZIP);
				long published = System.nanoTime();
				this.nacos.publishConfig("policy.properties", "CACHE", "compress.redis.algorithm=deflate\n");
				PolicyWait.until("deflate in force", published, () -> holder.policy().algorithm() == Algorithm.DEFLATE);
			});
	}

	@Test
	void listenerIsRemovedWhenTheContextCloses() {
		this.contextRunner.run((context) -> assertThat(this.nacos.listenerCount(DATA_ID, GROUP)).isOne());
		assertThat(this.nacos.listenerCount(DATA_ID, GROUP)).isZero();
	}

	/**
	 * A context whose Nacos client comes from Spring Cloud Alibaba's
	 * {@link NacosConfigManager}, as in an application with the Nacos config starter.
	 */
	private static ApplicationContextRunner configManagerRunner(Supplier<ConfigService> configService) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CompressRedisAutoConfiguration.class,
					CompressRedisNacosAutoConfiguration.class))
			.withBean(NacosConfigManager.class, () -> new NacosConfigManager(new NacosConfigProperties()) {

				@Override
				public ConfigService getConfigService() {
					return configService.get();
				}

			});
	}

}
