package io.github.compressredis.autoconfigure.nacos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.alibaba.cloud.nacos.client.NacosPropertySource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Keeps the {@code compress.redis.*} keys of the Nacos data ID this starter follows
 * (policy keys, and misspelt ones, which the listener refuses) out of the environment
 * when the application also imports that data ID
 * ({@code spring.config.import: nacos:...}). The starter's listener is the one path by
 * which that content becomes the policy, on top of the application's own configuration:
 * so an invalid policy in Nacos does not stop the application (it is refused and shown
 * instead), and the refresh that follows each change neither applies it a second time nor
 * uses it as the base of the next one. Runs after the config data imports, at startup and
 * on every Spring Cloud refresh, which runs the environment post-processors again.
 *
 * @author compress-redis contributors
 */
@SuppressWarnings("removal") // Boot 3.5's interface: Boot 4.x loads it from its old key
								// too
public final class FollowedDataIdPropertySourceFilter implements EnvironmentPostProcessor, Ordered {

	private static final String NACOS_PROPERTY_SOURCE = "com.alibaba.cloud.nacos.client.NacosPropertySource";

	private static final List<ConfigurationPropertyName> POLICY_KEYS = PolicyContent.KEYS.stream()
		.map((key) -> ConfigurationPropertyName.of("compress.redis." + key))
		.toList();

	private static final ConfigurationPropertyName COMPRESS_REDIS = ConfigurationPropertyName.of("compress.redis");

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(NACOS_PROPERTY_SOURCE, getClass().getClassLoader())) {
			return;
		}
		Binder binder = Binder.get(environment);
		if (!binder.bind("compress.redis.nacos.enabled", Boolean.class).orElse(true)) {
			return;
		}
		CompressRedisNacosProperties defaults = new CompressRedisNacosProperties();
		String dataId = binder.bind("compress.redis.nacos.data-id", String.class).orElse(defaults.getDataId());
		String group = binder.bind("compress.redis.nacos.group", String.class).orElse(defaults.getGroup());
		for (PropertySource<?> source : environment.getPropertySources()) {
			// spring.config.import names it group@dataId; the legacy bootstrap locator
			// adds a NacosPropertySource
			boolean followed = source.getName().equals(group + "@" + dataId)
					|| LegacyNacosSource.follows(source, dataId, group);
			if (followed && source instanceof EnumerablePropertySource<?> enumerable) {
				environment.getPropertySources().replace(source.getName(), withoutPolicyKeys(enumerable));
			}
		}
	}

	private static PropertySource<?> withoutPolicyKeys(EnumerablePropertySource<?> source) {
		Map<String, Object> kept = new LinkedHashMap<>();
		for (String name : source.getPropertyNames()) {
			// a misspelt key too: the listener refuses it with its reason, the
			// application's binding never sees it
			if (!COMPRESS_REDIS.isAncestorOf(ConfigurationPropertyName.adapt(name, '.'))) {
				kept.put(name, source.getProperty(name));
			}
		}
		return new MapPropertySource(source.getName(), kept);
	}

	static boolean isPolicyKey(String key) {
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
		return POLICY_KEYS.contains(name);
	}

	// only loaded once the class check passed: the verifier of the outer class never
	// needs Nacos
	private static final class LegacyNacosSource {

		static boolean follows(PropertySource<?> source, String dataId, String group) {
			return source instanceof NacosPropertySource nacos && dataId.equals(nacos.getDataId())
					&& group.equals(nacos.getGroup());
		}

	}

}
