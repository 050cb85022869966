package io.github.compressredis.autoconfigure.commands;

import io.github.compressredis.autoconfigure.BootAutoConfigurations;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.core.policy.PolicySource;
import io.github.compressredis.embedded.RedisClusterProcess;
import io.github.compressredis.embedded.RedisServerProcess;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Contexts holding only Boot's Redis auto-configuration and compress-redis, pointed at a
 * real redis-server with the client a test names.
 */
final class RedisContexts {

	private RedisContexts() {
	}

	static ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.dataRedis(),
					BootAutoConfigurations.dataRedisReactive(), CompressRedisAutoConfiguration.class));
	}

	static ApplicationContextRunner standalone(ApplicationContextRunner runner, RedisServerProcess redis,
			String client) {
		return runner.withPropertyValues("spring.data.redis.client-type=" + client, "spring.data.redis.host=127.0.0.1",
				"spring.data.redis.port=" + redis.port());
	}

	static ApplicationContextRunner cluster(ApplicationContextRunner runner, RedisClusterProcess cluster) {
		return runner.withPropertyValues("spring.data.redis.cluster.nodes=" + String.join(",", cluster.nodes()));
	}

	static void switchTo(AssertableApplicationContext context, Algorithm algorithm) {
		CompressionPolicyHolder policies = context.getBean(CompressionPolicyHolder.class);
		policies.update(policies.policy().toBuilder().algorithm(algorithm).build(), PolicySource.ENDPOINT);
	}

}
