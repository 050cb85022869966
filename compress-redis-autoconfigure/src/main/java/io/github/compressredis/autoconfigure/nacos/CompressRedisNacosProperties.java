package io.github.compressredis.autoconfigure.nacos;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the compress-redis policy held in Nacos.
 *
 * @author compress-redis contributors
 */
@ConfigurationProperties("compress.redis.nacos")
public class CompressRedisNacosProperties {

	/**
	 * Whether to follow the compress-redis policy held in Nacos, when the Nacos config
	 * starter is present.
	 */
	private boolean enabled = true;

	/**
	 * Nacos data ID holding the policy; its extension (.yaml, .yml, .properties, .json)
	 * names the format.
	 */
	private String dataId = "compress-redis.yaml";

	/**
	 * Nacos group of the data ID.
	 */
	private String group = "DEFAULT_GROUP";

	/**
	 * How long startup waits for the first read of the policy from Nacos.
	 */
	private Duration timeout = Duration.ofSeconds(3);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getDataId() {
		return this.dataId;
	}

	public void setDataId(String dataId) {
		this.dataId = dataId;
	}

	public String getGroup() {
		return this.group;
	}

	public void setGroup(String group) {
		this.group = group;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
