package io.github.compressredis.autoconfigure.nacos;

import java.util.Map;

import io.github.compressredis.actuate.endpoint.CompressionEndpoint;
import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.core.stats.CompressionStats;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which source decides {@code min-size}, with distinct magnitudes so that the value shows
 * the winner: application.yml 10, Nacos 100 (then 200, 300), a policy bean 1000, the
 * endpoint 10000.
 */
class NacosPolicyPrecedenceTests {

	private static final String DATA_ID = "compress-redis.yaml";

	private static final String GROUP = "DEFAULT_GROUP";

	@AutoClose
	private final InProcessConfigService nacos = new InProcessConfigService();

	private final ApplicationContextRunner contextRunner = this.nacos.contextRunner()
		.withPropertyValues("compress.redis.min-size=10B");

	@Test
	void applicationYmlDecidesWithoutNacosContent() {
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.policy().minSize()).isEqualTo(10);
			assertThat(holder.current().source()).isEqualTo(PolicySource.PROPERTIES);
		});
	}

	@Test
	void nacosContentOverridesApplicationYml() throws Exception {
		this.nacos.publishConfig(DATA_ID, GROUP, "min-size: 100B");
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			assertThat(holder.policy().minSize()).isEqualTo(100);
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
		});
	}

	@Test
	void policyBeanOverridesNacosAndApplicationYmlAtStartup() throws Exception {
		this.nacos.publishConfig(DATA_ID, GROUP, "min-size: 100B");
		this.contextRunner
			.withBean("pinnedPolicy", CompressionPolicy.class, () -> CompressionPolicy.builder().minSize(1000).build())
			.run((context) -> {
				CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
				assertThat(holder.policy().minSize()).isEqualTo(1000);
				assertThat(holder.current().source()).isEqualTo(PolicySource.BEAN);
				assertThat(holder.lastRefused().reason())
					.contains("the policy is pinned by the CompressionPolicy bean 'pinnedPolicy'");
			});
	}

	@Test
	void policyBeanRefusesLiveNacosChanges() {
		this.contextRunner
			.withBean("pinnedPolicy", CompressionPolicy.class, () -> CompressionPolicy.builder().minSize(1000).build())
			.run((context) -> {
				CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
				assertThat(holder.refusedCount()).isZero();
				long published = System.nanoTime();
				this.nacos.publishConfig(DATA_ID, GROUP, "min-size: 200B");
				PolicyWait.until("refusal", published, () -> holder.refusedCount() == 1);
				assertThat(holder.policy().minSize()).isEqualTo(1000);
				assertThat(holder.lastRefused().reason()).isEqualTo("Nacos dataId 'compress-redis.yaml', group "
						+ "'DEFAULT_GROUP': the policy is pinned by the CompressionPolicy bean 'pinnedPolicy'; "
						+ "remove that bean to let Nacos change the policy");
			});
	}

	@Test
	void endpointWriteAppliesUntilTheNextNacosChange() throws Exception {
		this.nacos.publishConfig(DATA_ID, GROUP, "min-size: 100B");
		this.contextRunner.run((context) -> {
			CompressionPolicyHolder holder = context.getBean(CompressionPolicyHolder.class);
			CompressionEndpoint endpoint = new CompressionEndpoint(holder, context.getBean(CompressionStats.class),
					context.getBean(PolicyPipeline.class));
			endpoint.update(Map.of("minSize", 10_000));
			assertThat(holder.policy().minSize()).isEqualTo(10_000);
			assertThat(holder.current().source()).isEqualTo(PolicySource.ENDPOINT);
			long published = System.nanoTime();
			this.nacos.publishConfig(DATA_ID, GROUP, "min-size: 300B");
			PolicyWait.until("Nacos change in force", published, () -> holder.policy().minSize() == 300);
			assertThat(holder.current().source()).isEqualTo(PolicySource.NACOS);
		});
	}

}
