package io.github.compressredis.autoconfigure.nacos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.alibaba.cloud.nacos.NacosConfigAutoConfiguration;
import com.alibaba.cloud.nacos.NacosConfigSpringCloudAutoConfiguration;
import io.github.compressredis.autoconfigure.CompressRedisAutoConfiguration;
import io.github.compressredis.core.policy.CompressionPolicyHolder;
import io.github.compressredis.testsupport.nacos.NacosServer;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application as a user configures it: Spring Cloud Alibaba's Nacos config starter
 * against the kit's real server, with the refresh path, this starter and its Nacos
 * listener, the data ID imported with {@code spring.config.import} or not.
 */
final class RealNacosApplication implements AutoCloseable {

	static final String GROUP = "DEFAULT_GROUP";

	private final ConfigurableApplicationContext context;

	private final AtomicInteger refreshes;

	private RealNacosApplication(ConfigurableApplicationContext context, AtomicInteger refreshes) {
		this.context = context;
		this.refreshes = refreshes;
	}

	/**
	 * Start an application that follows the data ID with the starter's listener only.
	 */
	static RealNacosApplication listening(NacosServer nacos, String dataId, String... args) {
		return start(nacos, dataId, null, args);
	}

	/**
	 * Start an application that also imports the data ID ({@code import} such as
	 * {@code optional:nacos:}), as the sample's {@code nacos} profile does.
	 */
	static RealNacosApplication importing(NacosServer nacos, String dataId, String importPrefix, String... args) {
		return start(nacos, dataId, importPrefix, args);
	}

	private static RealNacosApplication start(NacosServer nacos, String dataId, String importPrefix, String... extra) {
		List<String> args = new ArrayList<>(List.of("--spring.cloud.nacos.config.enabled=true",
				"--spring.cloud.nacos.config.server-addr=" + nacos.serverAddr(),
				"--spring.cloud.nacos.config.group=" + GROUP, "--compress.redis.nacos.data-id=" + dataId,
				"--compress.redis.nacos.group=" + GROUP, "--spring.jmx.enabled=false"));
		if (importPrefix != null) {
			args.add("--spring.config.import=" + importPrefix + dataId);
		}
		else {
			args.add("--spring.cloud.nacos.config.import-check.enabled=false");
		}
		args.addAll(List.of(extra));
		AtomicInteger refreshes = new AtomicInteger();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			// as application.yml: below the imported Nacos content, unlike command-line
			// arguments
			.properties(Map.of("compress.redis.algorithm", "zstd", "compress.redis.level", "3"))
			.listeners((ApplicationListener<RefreshScopeRefreshedEvent>) (event) -> refreshes.incrementAndGet())
			.run(args.toArray(String[]::new));
		return new RealNacosApplication(context, refreshes);
	}

	CompressionPolicyHolder holder() {
		return this.context.getBean(CompressionPolicyHolder.class);
	}

	/**
	 * Return how many Spring Cloud refreshes completed (the refresh path ran to its end).
	 */
	int refreshes() {
		return this.refreshes.get();
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(
			classes = { RefreshAutoConfiguration.class, ConfigurationPropertiesRebinderAutoConfiguration.class,
					CompressRedisAutoConfiguration.class, NacosConfigAutoConfiguration.class,
					NacosConfigSpringCloudAutoConfiguration.class, CompressRedisNacosAutoConfiguration.class })
	static class Application {

	}

}
