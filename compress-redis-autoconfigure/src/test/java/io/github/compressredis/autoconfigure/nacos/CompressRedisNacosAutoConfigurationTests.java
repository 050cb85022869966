package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;

import com.alibaba.cloud.nacos.NacosConfigManager;
import com.alibaba.nacos.api.config.ConfigService;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.core.internal.policy.PolicyValidator;
import io.github.compressredis.core.policy.CompressionPolicy;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the live policy from Nacos is configured, and when it backs off.
 */
class CompressRedisNacosAutoConfigurationTests {

	@AutoClose
	private final InProcessConfigService nacos = new InProcessConfigService();

	private final ApplicationContextRunner contextRunner = this.nacos.contextRunner();

	@Test
	void sourceAndRefreshListenerAreConfiguredWithTheDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(NacosPolicyUpdater.class)
				.hasSingleBean(NacosPolicySource.class)
				.hasSingleBean(PolicyRefreshListener.class);
			CompressRedisNacosProperties properties = context.getBean(CompressRedisNacosProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getDataId()).isEqualTo("compress-redis.yaml");
			assertThat(properties.getGroup()).isEqualTo("DEFAULT_GROUP");
			assertThat(properties.getTimeout()).isEqualTo(Duration.ofSeconds(3));
		});
	}

	@Test
	void backsOffWithoutTheNacosClient() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ConfigService.class))
			.run((context) -> assertThat(context).hasSingleBean(CompressionPolicyHolder.class)
				.doesNotHaveBean(NacosPolicyUpdater.class)
				.doesNotHaveBean(NacosPolicySource.class)
				.doesNotHaveBean(PolicyRefreshListener.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("compress.redis.nacos.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(NacosPolicyUpdater.class).doesNotHaveBean(NacosPolicySource.class);
			assertThat(this.nacos.listenerCount("compress-redis.yaml", "DEFAULT_GROUP")).isZero();
		});
	}

	@Test
	void backsOffWhenCompressionIsDisabled() {
		this.contextRunner.withPropertyValues("compress.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NacosPolicyUpdater.class));
	}

	@Test
	void followsNoDataIdWithoutAConfigServiceOrNacosConfigManager() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CompressRedisAutoConfiguration.class,
					CompressRedisNacosAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(NacosPolicyUpdater.class)
				.hasSingleBean(PolicyRefreshListener.class)
				.doesNotHaveBean(NacosPolicySource.class));
	}

	@Test
	void followsTheConfigServiceBeanWithoutSpringCloudAlibaba() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(NacosConfigManager.class))
			.run((context) -> assertThat(context).hasSingleBean(NacosPolicySource.class));
	}

	@Test
	void refreshListenerBacksOffWithoutSpringCloudContext() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
			.run((context) -> assertThat(context).hasSingleBean(NacosPolicySource.class)
				.doesNotHaveBean(PolicyRefreshListener.class));
	}

	@Test
	void userDefinedSourceBacksOffOurs() {
		this.contextRunner
			.withBean("userSource", NacosPolicySource.class,
					() -> new NacosPolicySource(() -> this.nacos, userProperties(), userUpdater()))
			.run((context) -> {
				assertThat(context).hasSingleBean(NacosPolicySource.class);
				assertThat(this.nacos.listenerCount("user.yaml", "DEFAULT_GROUP")).isOne();
				assertThat(this.nacos.listenerCount("compress-redis.yaml", "DEFAULT_GROUP")).isZero();
			});
	}

	private static CompressRedisNacosProperties userProperties() {
		CompressRedisNacosProperties properties = new CompressRedisNacosProperties();
		properties.setDataId("user.yaml");
		return properties;
	}

	private static NacosPolicyUpdater userUpdater() {
		return new NacosPolicyUpdater(new CompressionPolicyHolder(CompressionPolicy.defaults()), new MockEnvironment(),
				new PolicyPipeline(new PolicyValidator((algorithm) -> true), null));
	}

}
