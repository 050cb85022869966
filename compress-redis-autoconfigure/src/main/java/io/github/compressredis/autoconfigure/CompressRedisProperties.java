package io.github.compressredis.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.compressredis.core.codec.Algorithm;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.foreign.ForeignFormat;
import io.github.compressredis.core.internal.policy.PolicyPatch;
import io.github.compressredis.core.resilience.BreakerSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for compress-redis.
 * <p>
 * Defaults are literals, so that the generated configuration metadata shows them; a test
 * checks each against the core's defaults.
 *
 * @author compress-redis contributors
 */
@ConfigurationProperties("compress.redis")
public class CompressRedisProperties {

	/**
	 * Whether to compress Redis values. When off, nothing is wrapped and values are read
	 * and written as the application's serializers produce them.
	 */
	private boolean enabled = true;

	/**
	 * Compression algorithm for new writes: zstd, lz4, gzip, deflate, snappy or none.
	 * Values written with any algorithm stay readable whatever is configured here.
	 */
	private Algorithm algorithm = Algorithm.ZSTD;

	/**
	 * Compression level. Defaults to the algorithm's default (zstd 3, lz4 0 = fast, gzip
	 * and deflate 6). zstd -22 to 22, lz4 0 to 17, gzip and deflate 0 to 9.
	 */
	private @Nullable Integer level;

	/**
	 * Values shorter than this are stored uncompressed.
	 */
	private DataSize minSize = DataSize.ofBytes(192);

	/**
	 * Largest compressed-to-original size ratio worth keeping; a value that compresses
	 * worse is stored uncompressed.
	 */
	private double maxRatio = 0.9;

	/**
	 * Whether to store a CRC-32C of the original bytes with each compressed value, so
	 * that any corruption is detected on read.
	 */
	private boolean checksum = true;

	/**
	 * Largest original size a compressed value may declare; a larger one is refused on
	 * read before anything is allocated.
	 */
	private DataSize maxDecompressedSize = DataSize.ofMegabytes(64);

	/**
	 * Share of writes, 1 to 100, that use a policy changed at runtime (refreshed
	 * configuration, Nacos); the others keep the last policy that was fully rolled out.
	 * Raise it to 100 to finish the rollout. At startup every write follows the policy.
	 */
	private int rolloutPercent = 100;

	private final Template template = new Template();

	private final Cache cache = new Cache();

	private final Target reactive = new Target();

	private final Target session = new Target();

	private final Endpoint endpoint = new Endpoint();

	private final Resilience resilience = new Resilience();

	private final Dictionary dictionary = new Dictionary();

	private final Format format = new Format();

	private final Observation observation = new Observation();

	private final Slo slo = new Slo();

	/**
	 * Foreign formats to read values in (read-only): glide, gzip, zstd-frame,
	 * lettuce-deflate, redisson-lz4, redisson-zstd.
	 */
	private Set<ForeignFormat> readForeign = new LinkedHashSet<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Algorithm getAlgorithm() {
		return this.algorithm;
	}

	public void setAlgorithm(Algorithm algorithm) {
		this.algorithm = algorithm;
	}

	public @Nullable Integer getLevel() {
		return this.level;
	}

	public void setLevel(@Nullable Integer level) {
		this.level = level;
	}

	public DataSize getMinSize() {
		return this.minSize;
	}

	public void setMinSize(DataSize minSize) {
		this.minSize = minSize;
	}

	public double getMaxRatio() {
		return this.maxRatio;
	}

	public void setMaxRatio(double maxRatio) {
		this.maxRatio = maxRatio;
	}

	public boolean isChecksum() {
		return this.checksum;
	}

	public void setChecksum(boolean checksum) {
		this.checksum = checksum;
	}

	public DataSize getMaxDecompressedSize() {
		return this.maxDecompressedSize;
	}

	public void setMaxDecompressedSize(DataSize maxDecompressedSize) {
		this.maxDecompressedSize = maxDecompressedSize;
	}

	public int getRolloutPercent() {
		return this.rolloutPercent;
	}

	public void setRolloutPercent(int rolloutPercent) {
		this.rolloutPercent = rolloutPercent;
	}

	public Template getTemplate() {
		return this.template;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Target getReactive() {
		return this.reactive;
	}

	public Target getSession() {
		return this.session;
	}

	public Observation getObservation() {
		return this.observation;
	}

	public Slo getSlo() {
		return this.slo;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Dictionary getDictionary() {
		return this.dictionary;
	}

	public Set<ForeignFormat> getReadForeign() {
		return this.readForeign;
	}

	public void setReadForeign(Set<ForeignFormat> readForeign) {
		this.readForeign = readForeign;
	}

	public Resilience getResilience() {
		return this.resilience;
	}

	public Format getFormat() {
		return this.format;
	}

	/**
	 * Return the policy fields of these properties as a patch onto the default policy.
	 * @return the patch
	 */
	public PolicyPatch toPatch() {
		return PolicyPatch.builder()
			.algorithm(this.algorithm)
			.level(this.level)
			.minSize(this.minSize.toBytes())
			.maxRatio(this.maxRatio)
			.checksum(this.checksum)
			.maxDecompressedSize(this.maxDecompressedSize.toBytes())
			.rolloutPercent(this.rolloutPercent)
			.writeVersion(this.format.getWriteVersion())
			.build();
	}

	/**
	 * The wire format written (FORMAT.md).
	 */
	public static class Format {

		/**
		 * Format version written, 1 or 2; set 2 only once every reader runs a release
		 * that reads it.
		 */
		private int writeVersion = 1;

		public int getWriteVersion() {
			return this.writeVersion;
		}

		public void setWriteVersion(int writeVersion) {
			this.writeVersion = writeVersion;
		}

	}

	/**
	 * Which values a wrapping target compresses.
	 */
	public static class Target {

		/**
		 * Whether to compress the values of this target.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * RedisTemplate beans.
	 */
	public static class Template extends Target {

		/**
		 * Names of RedisTemplate and ReactiveRedisTemplate beans to leave uncompressed,
		 * for example those whose values server-side commands (INCR, APPEND, Lua) work
		 * on.
		 */
		private Set<String> exclude = new LinkedHashSet<>();

		public Set<String> getExclude() {
			return this.exclude;
		}

		public void setExclude(Set<String> exclude) {
			this.exclude = exclude;
		}

	}

	/**
	 * Spring Cache entries stored by RedisCacheManager.
	 */
	public static class Cache extends Target {

		/**
		 * Policy overrides per cache name; unset fields follow the global policy.
		 */
		private Map<String, PolicyOverride> policies = new LinkedHashMap<>();

		/**
		 * Whether an entry that cannot be decoded (corrupt, truncated, forged) is treated
		 * as a miss by @Cacheable, so that it is recomputed and stored again, instead of
		 * failing the call. Counted in redis.compression.cache.fail-open.
		 */
		private boolean failOpen;

		public Map<String, PolicyOverride> getPolicies() {
			return this.policies;
		}

		public void setPolicies(Map<String, PolicyOverride> policies) {
			this.policies = policies;
		}

		public boolean isFailOpen() {
			return this.failOpen;
		}

		public void setFailOpen(boolean failOpen) {
			this.failOpen = failOpen;
		}

	}

	/**
	 * Policy fields set by one source: a per-cache override, Nacos content or the
	 * endpoint's body. Unset fields keep the base policy's values.
	 */
	public static class PolicyOverride {

		/**
		 * Compression algorithm: zstd, lz4, gzip, deflate, snappy or none. Without a
		 * level, an algorithm other than the base's takes its own default level.
		 */
		private @Nullable Algorithm algorithm;

		/**
		 * Compression level, within the algorithm's range.
		 */
		private @Nullable Integer level;

		/**
		 * Values shorter than this are stored uncompressed.
		 */
		private @Nullable DataSize minSize;

		/**
		 * Largest compressed-to-original size ratio worth keeping.
		 */
		private @Nullable Double maxRatio;

		/**
		 * Whether to store a CRC-32C with each compressed value.
		 */
		private @Nullable Boolean checksum;

		/**
		 * Largest original size a compressed value may declare.
		 */
		private @Nullable DataSize maxDecompressedSize;

		/**
		 * Share of writes, 1 to 100, that use the changed policy while it is rolled out.
		 */
		private @Nullable Integer rolloutPercent;

		public @Nullable Algorithm getAlgorithm() {
			return this.algorithm;
		}

		public void setAlgorithm(@Nullable Algorithm algorithm) {
			this.algorithm = algorithm;
		}

		public @Nullable Integer getLevel() {
			return this.level;
		}

		public void setLevel(@Nullable Integer level) {
			this.level = level;
		}

		public @Nullable DataSize getMinSize() {
			return this.minSize;
		}

		public void setMinSize(@Nullable DataSize minSize) {
			this.minSize = minSize;
		}

		public @Nullable Double getMaxRatio() {
			return this.maxRatio;
		}

		public void setMaxRatio(@Nullable Double maxRatio) {
			this.maxRatio = maxRatio;
		}

		public @Nullable Boolean getChecksum() {
			return this.checksum;
		}

		public void setChecksum(@Nullable Boolean checksum) {
			this.checksum = checksum;
		}

		public @Nullable DataSize getMaxDecompressedSize() {
			return this.maxDecompressedSize;
		}

		public void setMaxDecompressedSize(@Nullable DataSize maxDecompressedSize) {
			this.maxDecompressedSize = maxDecompressedSize;
		}

		public @Nullable Integer getRolloutPercent() {
			return this.rolloutPercent;
		}

		public void setRolloutPercent(@Nullable Integer rolloutPercent) {
			this.rolloutPercent = rolloutPercent;
		}

		/**
		 * Return the fields set here as a patch.
		 * @return the patch
		 */
		public PolicyPatch toPatch() {
			return PolicyPatch.builder()
				.algorithm(this.algorithm)
				.level(this.level)
				.minSize((this.minSize != null) ? this.minSize.toBytes() : null)
				.maxRatio(this.maxRatio)
				.checksum(this.checksum)
				.maxDecompressedSize((this.maxDecompressedSize != null) ? this.maxDecompressedSize.toBytes() : null)
				.rolloutPercent(this.rolloutPercent)
				.build();
		}

	}

	/**
	 * Micrometer Observations of each compression and decompression.
	 */
	public static class Observation {

		/**
		 * Whether each compression and decompression of a value at least min-size is a
		 * Micrometer Observation (a timer, and a span when tracing is on), when an
		 * ObservationRegistry bean exists.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Service-level objectives published as histogram buckets on the compression timers,
	 * for every target.
	 */
	public static class Slo {

		/**
		 * Compression time objective, published as a bucket of
		 * redis.compression.compress.
		 */
		private @Nullable Duration compress;

		/**
		 * Decompression time objective, published as a bucket of
		 * redis.compression.decompress.
		 */
		private @Nullable Duration decompress;

		public @Nullable Duration getCompress() {
			return this.compress;
		}

		public void setCompress(@Nullable Duration compress) {
			this.compress = compress;
		}

		public @Nullable Duration getDecompress() {
			return this.decompress;
		}

		public void setDecompress(@Nullable Duration decompress) {
			this.decompress = decompress;
		}

	}

	/**
	 * The actuator endpoint.
	 */
	public static class Endpoint {

		/**
		 * Whether the endpoint's write operation may change the policy at runtime.
		 */
		private boolean writeEnabled;

		/**
		 * Return whether the write operation is enabled by this deprecated property.
		 * @return whether it is set
		 * @deprecated since 0.2.0 in favour of Boot's endpoint access model,
		 * {@code management.endpoint.compression.access=unrestricted}
		 */
		@Deprecated(since = "0.2.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "management.endpoint.compression.access",
				reason = "The endpoint follows Boot's endpoint access model", since = "0.2.0")
		public boolean isWriteEnabled() {
			return this.writeEnabled;
		}

		@Deprecated(since = "0.2.0", forRemoval = true)
		public void setWriteEnabled(boolean writeEnabled) {
			this.writeEnabled = writeEnabled;
		}

	}

	/**
	 * What keeps writes going when compression misbehaves.
	 */
	public static class Resilience {

		private final Breaker breaker = new Breaker();

		public Breaker getBreaker() {
			return this.breaker;
		}

	}

	/**
	 * The breaker that degrades slow compression to a faster level, and failing
	 * compression to plain, for a cool-down.
	 */
	public static class Breaker {

		/**
		 * Whether slow compression is degraded to a faster level, and failing compression
		 * to plain, for a cool-down.
		 */
		private boolean enabled = true;

		/**
		 * Wall time over which a compression counts as slow, plus latency-budget-per-mb.
		 */
		private Duration latencyBudget = Duration.ofMillis(10);

		/**
		 * Wall time a compression may take on top of latency-budget per MiB of value.
		 */
		private Duration latencyBudgetPerMb = Duration.ofMillis(50);

		/**
		 * CPU time a sampled compression may cost, as a multiple of its algorithm's
		 * fastest level (zstd 1, lz4 fast, gzip 1) on the same value; above it the sample
		 * counts as slow.
		 */
		private double maxCostRatio = 10.0;

		/**
		 * Share of the window's compressions (or cost samples) over budget that trips the
		 * breaker.
		 */
		private double slowCallRate = 0.5;

		/**
		 * Host CPU load (0 to 1) that, held over a whole window, degrades compression to
		 * a faster level, never to plain. 0 turns it off.
		 */
		private double hostCpuThreshold = 0.0;

		/**
		 * Sliding window over which latency, cost and the failure rate are judged.
		 */
		private Duration window = Duration.ofSeconds(10);

		/**
		 * Compressions the window must hold before their wall time or the failure rate is
		 * judged.
		 */
		private int minimumCalls = 20;

		/**
		 * Cost samples the window must hold before their CPU cost is judged.
		 */
		private int minimumSamples = 10;

		/**
		 * Consecutive compression failures that trip the breaker.
		 */
		private int failureThreshold = 5;

		/**
		 * Share of failed compressions in the window that trips the breaker.
		 */
		private double failureRate = 0.5;

		/**
		 * Time the breaker stays degraded or open before it probes the policy again.
		 */
		private Duration coolDown = Duration.ofSeconds(30);

		/**
		 * Consecutive probes within budget that close the breaker again.
		 */
		private int probes = 5;

		/**
		 * What slow compression degrades to: faster-level (never plain) or plain (gives
		 * memory away). Failing compression always degrades to plain.
		 */
		private BreakerSettings.Fallback fallback = BreakerSettings.Fallback.FASTER_LEVEL;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getLatencyBudget() {
			return this.latencyBudget;
		}

		public void setLatencyBudget(Duration latencyBudget) {
			this.latencyBudget = latencyBudget;
		}

		public Duration getLatencyBudgetPerMb() {
			return this.latencyBudgetPerMb;
		}

		public void setLatencyBudgetPerMb(Duration latencyBudgetPerMb) {
			this.latencyBudgetPerMb = latencyBudgetPerMb;
		}

		public double getMaxCostRatio() {
			return this.maxCostRatio;
		}

		public void setMaxCostRatio(double maxCostRatio) {
			this.maxCostRatio = maxCostRatio;
		}

		public double getSlowCallRate() {
			return this.slowCallRate;
		}

		public void setSlowCallRate(double slowCallRate) {
			this.slowCallRate = slowCallRate;
		}

		public double getHostCpuThreshold() {
			return this.hostCpuThreshold;
		}

		public void setHostCpuThreshold(double hostCpuThreshold) {
			this.hostCpuThreshold = hostCpuThreshold;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public int getMinimumCalls() {
			return this.minimumCalls;
		}

		public void setMinimumCalls(int minimumCalls) {
			this.minimumCalls = minimumCalls;
		}

		public int getMinimumSamples() {
			return this.minimumSamples;
		}

		public void setMinimumSamples(int minimumSamples) {
			this.minimumSamples = minimumSamples;
		}

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public double getFailureRate() {
			return this.failureRate;
		}

		public void setFailureRate(double failureRate) {
			this.failureRate = failureRate;
		}

		public Duration getCoolDown() {
			return this.coolDown;
		}

		public void setCoolDown(Duration coolDown) {
			this.coolDown = coolDown;
		}

		public int getProbes() {
			return this.probes;
		}

		public void setProbes(int probes) {
			this.probes = probes;
		}

		public BreakerSettings.Fallback getFallback() {
			return this.fallback;
		}

		public void setFallback(BreakerSettings.Fallback fallback) {
			this.fallback = fallback;
		}

		/**
		 * Build the breaker settings these properties describe.
		 * @return the settings
		 * @throws IllegalArgumentException naming the property when a value is invalid
		 */
		public BreakerSettings toSettings() {
			return BreakerSettings.builder()
				.latencyBudget(this.latencyBudget)
				.latencyBudgetPerMb(this.latencyBudgetPerMb)
				.maxCostRatio(this.maxCostRatio)
				.slowCallRate(this.slowCallRate)
				.hostCpuThreshold(this.hostCpuThreshold)
				.window(this.window)
				.minimumCalls(this.minimumCalls)
				.minimumSamples(this.minimumSamples)
				.failureThreshold(this.failureThreshold)
				.failureRate(this.failureRate)
				.coolDown(this.coolDown)
				.probes(this.probes)
				.fallback(this.fallback)
				.build();
		}

	}

	/**
	 * Trained zstd dictionaries, one per cache and per template, stored in Redis and
	 * shared by every instance of the application.
	 */
	public static class Dictionary {

		/**
		 * Whether zstd writes sample values, train a dictionary per cache and template,
		 * and use it. Values written with a dictionary stay readable when this is turned
		 * off again.
		 */
		private boolean enabled = false;

		/**
		 * One write in this many offers its value as a training sample.
		 */
		private int sampleRate = 100;

		/**
		 * Samples kept per target; a dictionary is trained once this many were seen.
		 */
		private int samples = 2000;

		/**
		 * Values longer than this are neither sampled nor written with the dictionary:
		 * they compress well without one, at the policy's level.
		 */
		private DataSize maxSampleSize = DataSize.ofKilobytes(16);

		/**
		 * Size of a trained dictionary.
		 */
		private DataSize size = DataSize.ofKilobytes(64);

		/**
		 * zstd level of values written with a dictionary, or 0 for the policy's level.
		 * Dictionary values are small, so a higher level costs microseconds.
		 */
		private int level = 12;

		/**
		 * Values at least this long are compressed once their target has a dictionary
		 * (replaces min-size when it is larger).
		 */
		private DataSize minSize = DataSize.ofBytes(32);

		/**
		 * Share by which a new dictionary must shrink held-out samples, against the
		 * dictionary in use (or none), to be published.
		 */
		private double minImprovement = 0.05;

		/**
		 * Share by which the held-out ratio may grow against the ratio at training before
		 * a new dictionary is trained.
		 */
		private double driftThreshold = 0.1;

		/**
		 * Shortest time between two trainings (or drift checks) of a target.
		 */
		private Duration retrainInterval = Duration.ofHours(1);

		/**
		 * How often each instance reads the current dictionary of its targets from Redis.
		 */
		private Duration pollInterval = Duration.ofSeconds(30);

		/**
		 * Prefix of the Redis keys holding dictionaries, the id sequence and the current
		 * id per target.
		 */
		private String prefix = "compress-redis:dict:";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getSampleRate() {
			return this.sampleRate;
		}

		public void setSampleRate(int sampleRate) {
			this.sampleRate = sampleRate;
		}

		public int getSamples() {
			return this.samples;
		}

		public void setSamples(int samples) {
			this.samples = samples;
		}

		public DataSize getMaxSampleSize() {
			return this.maxSampleSize;
		}

		public void setMaxSampleSize(DataSize maxSampleSize) {
			this.maxSampleSize = maxSampleSize;
		}

		public DataSize getSize() {
			return this.size;
		}

		public void setSize(DataSize size) {
			this.size = size;
		}

		public int getLevel() {
			return this.level;
		}

		public void setLevel(int level) {
			this.level = level;
		}

		public DataSize getMinSize() {
			return this.minSize;
		}

		public void setMinSize(DataSize minSize) {
			this.minSize = minSize;
		}

		public double getMinImprovement() {
			return this.minImprovement;
		}

		public void setMinImprovement(double minImprovement) {
			this.minImprovement = minImprovement;
		}

		public double getDriftThreshold() {
			return this.driftThreshold;
		}

		public void setDriftThreshold(double driftThreshold) {
			this.driftThreshold = driftThreshold;
		}

		public Duration getRetrainInterval() {
			return this.retrainInterval;
		}

		public void setRetrainInterval(Duration retrainInterval) {
			this.retrainInterval = retrainInterval;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		DictionarySettings toSettings() {
			return new DictionarySettings(this.sampleRate, this.samples, bytes("max-sample-size", this.maxSampleSize),
					bytes("size", this.size), this.level, bytes("min-size", this.minSize), this.minImprovement,
					this.driftThreshold, this.retrainInterval, this.pollInterval);
		}

		// range-checked on the long value: a cast would turn 3GB into a negative int
		private static int bytes(String field, DataSize size) {
			long bytes = size.toBytes();
			if (bytes < 0 || bytes > Integer.MAX_VALUE) {
				throw new IllegalArgumentException(
						"'" + field + "' must be between 0 and " + Integer.MAX_VALUE + " bytes, was " + size);
			}
			return (int) bytes;
		}

	}

}
