package io.github.compressredis.autoconfigure.nacos;

import com.alibaba.cloud.nacos.NacosConfigManager;
import com.alibaba.nacos.api.config.ConfigService;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.autoconfigure.PolicyPipeline;
import io.github.compressredis.core.policy.CompressionPolicyHolder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the live policy from Nacos, when the Nacos client is present: a
 * listener on {@code compress.redis.nacos.data-id} through the Nacos
 * {@link ConfigService} (a {@code ConfigService} bean, else the one of Spring Cloud
 * Alibaba's {@code NacosConfigManager}), and the Spring Cloud refresh path when
 * spring-cloud-context is present.
 *
 * @author compress-redis contributors
 */
@AutoConfiguration(after = CompressRedisAutoConfiguration.class,
		afterName = "com.alibaba.cloud.nacos.NacosConfigAutoConfiguration")
@ConditionalOnClass(name = "com.alibaba.nacos.api.config.ConfigService")
@ConditionalOnBean({ CompressionPolicyHolder.class, PolicyPipeline.class })
@ConditionalOnBooleanProperty(name = "compress.redis.nacos.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CompressRedisNacosProperties.class)
public final class CompressRedisNacosAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NacosPolicyUpdater nacosPolicyUpdater(CompressionPolicyHolder compressionPolicyHolder, Environment environment,
			PolicyPipeline compressionPolicyPipeline) {
		return new NacosPolicyUpdater(compressionPolicyHolder, environment, compressionPolicyPipeline);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(ConfigService.class)
	static class ConfigServiceBeanConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NacosPolicySource nacosPolicySource(ConfigService configService, CompressRedisNacosProperties properties,
				NacosPolicyUpdater nacosPolicyUpdater) {
			return new NacosPolicySource(() -> configService, properties, nacosPolicyUpdater);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.alibaba.cloud.nacos.NacosConfigManager")
	@ConditionalOnMissingBean(ConfigService.class)
	@ConditionalOnBean(type = "com.alibaba.cloud.nacos.NacosConfigManager")
	static class NacosConfigManagerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NacosPolicySource nacosPolicySource(NacosConfigManager nacosConfigManager,
				CompressRedisNacosProperties properties, NacosPolicyUpdater nacosPolicyUpdater) {
			return new NacosPolicySource(nacosConfigManager::getConfigService, properties, nacosPolicyUpdater);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
	static class RefreshConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PolicyRefreshListener compressRedisPolicyRefreshListener(NacosPolicyUpdater nacosPolicyUpdater) {
			return new PolicyRefreshListener(nacosPolicyUpdater);
		}

	}

}
